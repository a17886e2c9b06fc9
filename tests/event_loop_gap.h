#pragma once
// Measures how long the GUI thread's event loop goes without serving a 10 ms timer: the longest interval
// between two ticks while the meter runs. A background job that blocks the GUI thread (parsing on it, a long
// result hand-over) shows as a gap far above the timer's period.

#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>

namespace cellvit::test {

class EventLoopGapMeter {
public:
    static constexpr int kTickMs = 10;

    EventLoopGapMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_maxGap = 0;
        m_ticks = 0;
        m_timer.start();
    }
    // The time since the last tick counts too: a loop blocked until now has a gap that never saw its tick.
    void stop()
    {
        tick();
        m_timer.stop();
    }
    qint64 maxGapMs() const { return m_maxGap; }
    int ticks() const { return m_ticks; }
    qint64 elapsedMs() const { return m_clock.elapsed(); }

private:
    void tick()
    {
        const qint64 now = m_clock.elapsed();
        m_maxGap = std::max(m_maxGap, now - m_last);
        m_last = now;
        ++m_ticks;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGap = 0;
    int m_ticks = 0;
};

} // namespace cellvit::test
