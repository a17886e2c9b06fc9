#pragma once
// Decoded tiles kept under a byte budget, least recently used evicted first. Tiles of the pinned
// level (the coarsest, a small overview) are never evicted so the view always has a backdrop.

#include "viewer/tile_key.h"

#include <QImage>
#include <cstddef>
#include <list>
#include <unordered_map>

namespace cellvit {

class TileCache {
public:
    static constexpr std::size_t kDefaultByteBudget = std::size_t(512) << 20;

    explicit TileCache(std::size_t byteBudget = kDefaultByteBudget);

    // Budget for evictable tiles; pinned tiles are counted in bytes() but not limited by it.
    void setByteBudget(std::size_t bytes);
    std::size_t byteBudget() const { return m_budget; }
    void setPinnedLevel(int level); // -1: nothing pinned
    int pinnedLevel() const { return m_pinnedLevel; }

    void insert(const TileKey& key, const QImage& image); // replaces an existing tile
    QImage find(const TileKey& key); // null image when absent; marks the tile as recently used
    QImage peek(const TileKey& key) const; // same, without touching the recency order
    bool contains(const TileKey& key) const { return m_entries.count(key) != 0; }
    void clear();

    std::size_t size() const { return m_entries.size(); }
    std::size_t bytes() const { return m_evictableBytes + m_pinnedBytes; }
    std::size_t evictableBytes() const { return m_evictableBytes; }
    std::size_t evictions() const { return m_evictions; }

private:
    struct Entry {
        QImage image;
        std::size_t bytes = 0;
        std::list<TileKey>::iterator recency; // position in m_recency; unused for pinned tiles
    };

    bool isPinned(const TileKey& key) const { return key.level == m_pinnedLevel; }
    void remove(const TileKey& key);
    void evictToBudget();

    std::size_t m_budget;
    int m_pinnedLevel = -1;
    std::unordered_map<TileKey, Entry, TileKeyHash> m_entries;
    std::list<TileKey> m_recency; // most recent at the front, evictable tiles only
    std::size_t m_evictableBytes = 0;
    std::size_t m_pinnedBytes = 0;
    std::size_t m_evictions = 0;
};

} // namespace cellvit
