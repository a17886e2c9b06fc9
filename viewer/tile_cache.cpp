#include "viewer/tile_cache.h"

#include <vector>

namespace cellvit {

TileCache::TileCache(std::size_t byteBudget)
    : m_budget(byteBudget)
{
}

void TileCache::setByteBudget(std::size_t bytes)
{
    m_budget = bytes;
    evictToBudget();
}

void TileCache::setPinnedLevel(int level)
{
    if (level == m_pinnedLevel)
        return;
    // Re-file every tile under the new rule, keeping the present recency order of evictable ones.
    std::vector<std::pair<TileKey, QImage>> tiles;
    for (const TileKey& key : m_recency)
        tiles.emplace_back(key, m_entries.at(key).image);
    for (const auto& [key, entry] : m_entries)
        if (isPinned(key))
            tiles.emplace_back(key, entry.image);
    clear();
    m_pinnedLevel = level;
    for (auto it = tiles.rbegin(); it != tiles.rend(); ++it)
        insert(it->first, it->second);
}

void TileCache::insert(const TileKey& key, const QImage& image)
{
    if (image.isNull())
        return;
    remove(key);
    Entry entry;
    entry.image = image;
    entry.bytes = static_cast<std::size_t>(image.sizeInBytes());
    if (isPinned(key)) {
        m_pinnedBytes += entry.bytes;
    } else {
        m_recency.push_front(key);
        entry.recency = m_recency.begin();
        m_evictableBytes += entry.bytes;
    }
    m_entries.emplace(key, std::move(entry));
    evictToBudget();
}

QImage TileCache::find(const TileKey& key)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return {};
    if (!isPinned(key))
        m_recency.splice(m_recency.begin(), m_recency, it->second.recency);
    return it->second.image;
}

QImage TileCache::peek(const TileKey& key) const
{
    const auto it = m_entries.find(key);
    return it == m_entries.end() ? QImage() : it->second.image;
}

void TileCache::clear()
{
    m_entries.clear();
    m_recency.clear();
    m_evictableBytes = 0;
    m_pinnedBytes = 0;
}

void TileCache::remove(const TileKey& key)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    if (isPinned(key)) {
        m_pinnedBytes -= it->second.bytes;
    } else {
        m_evictableBytes -= it->second.bytes;
        m_recency.erase(it->second.recency);
    }
    m_entries.erase(it);
}

void TileCache::evictToBudget()
{
    while (m_evictableBytes > m_budget && !m_recency.empty()) {
        remove(m_recency.back());
        ++m_evictions;
    }
}

} // namespace cellvit
