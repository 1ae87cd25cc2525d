#include "stream/RecordRing.h"

#include <algorithm>

namespace kwb::stream {

RecordRing::RecordRing(qint64 capacity, qint64 maxBytes)
    : m_capacity(std::max<qint64>(1, capacity))
    , m_maxBytes(std::max<qint64>(1, maxBytes))
{
}

void RecordRing::append(ReadRecord record)
{
    m_bytes += record.footprint();
    m_records.push_back(std::move(record));
    ++m_appended;
    // The newest record stays even when it alone is over the byte cap.
    while (m_records.size() > 1 && (qint64(m_records.size()) > m_capacity || m_bytes > m_maxBytes)) {
        m_bytes -= m_records.front().footprint();
        m_records.pop_front();
    }
}

void RecordRing::clear()
{
    m_records.clear();
    m_bytes = 0;
    m_appended = 0;
}

} // namespace kwb::stream
