#include "SendResults.h"

#include "SortedRows.h"

#include <algorithm>
#include <limits>

namespace kwb::send {

QLatin1String rowStatusName(RowStatus status)
{
    switch (status) {
    case RowStatus::Pending: return QLatin1String("pending");
    case RowStatus::Queued: return QLatin1String("queued");
    case RowStatus::InFlight: return QLatin1String("in-flight");
    case RowStatus::Succeeded: return QLatin1String("succeeded");
    case RowStatus::Failed: return QLatin1String("failed");
    case RowStatus::Cancelled: return QLatin1String("cancelled");
    }
    return QLatin1String("pending");
}

QLatin1String verifyStateName(VerifyState state)
{
    switch (state) {
    case VerifyState::NotVerified: return QLatin1String("not-verified");
    case VerifyState::Verified: return QLatin1String("verified");
    case VerifyState::Mismatched: return QLatin1String("mismatched");
    case VerifyState::Unreadable: return QLatin1String("unreadable");
    }
    return QLatin1String("not-verified");
}

void SendResults::resize(int rows)
{
    const size_t n = size_t(rows);
    m_status.resize(n, quint8(RowStatus::Pending));
    m_predicted.resize(n, -1);
    m_shard.resize(n, -1);
    m_sequenceOffset.resize(n, -1);
    m_sequenceLength.resize(n, 0);
    m_errorCode.resize(n, -1);
    m_errorMessage.resize(n, -1);
    m_retriable.resize(n, 0);
    m_lastAttempt.resize(n, -1);
    m_attemptCount.resize(n, 0);
    m_verify.resize(n, quint8(VerifyState::NotVerified));
    m_subSequence.resize(n, -1);
    m_aggregateSize.resize(n, 0);
    m_aggregateId.resize(n, 0);
    m_firstRowsValid = false;
}

void SendResults::reset()
{
    const int n = size();
    // Identities handed out stay used: an undo may still bring back a row of an earlier record.
    const qint64 nextAggregateId = m_nextAggregateId;
    *this = SendResults();
    m_nextAggregateId = nextAggregateId;
    resize(n);
}

void SendResults::removeRows(std::vector<int> rows)
{
    rows = sortedUniqueRows(std::move(rows));
    eraseSortedRows(m_status, rows);
    eraseSortedRows(m_predicted, rows);
    eraseSortedRows(m_shard, rows);
    eraseSortedRows(m_sequenceOffset, rows);
    eraseSortedRows(m_sequenceLength, rows);
    eraseSortedRows(m_errorCode, rows);
    eraseSortedRows(m_errorMessage, rows);
    eraseSortedRows(m_retriable, rows);
    eraseSortedRows(m_lastAttempt, rows);
    eraseSortedRows(m_attemptCount, rows);
    eraseSortedRows(m_verify, rows);
    eraseSortedRows(m_subSequence, rows);
    eraseSortedRows(m_aggregateSize, rows);
    eraseSortedRows(m_aggregateId, rows);
    m_firstRowsValid = false;
}

void SendResults::moveTailTo(int row, int count)
{
    if (count <= 0 || row >= size() - count)
        return;
    const auto move = [row, count](auto &column) { std::rotate(column.begin() + row, column.end() - count, column.end()); };
    move(m_status);
    move(m_predicted);
    move(m_shard);
    move(m_sequenceOffset);
    move(m_sequenceLength);
    move(m_errorCode);
    move(m_errorMessage);
    move(m_retriable);
    move(m_lastAttempt);
    move(m_attemptCount);
    move(m_verify);
    move(m_subSequence);
    move(m_aggregateSize);
    move(m_aggregateId);
    m_firstRowsValid = false;
}

qint32 SendResults::intern(const QString &text)
{
    if (text.isEmpty())
        return -1;
    const auto it = m_stringIds.constFind(text);
    if (it != m_stringIds.constEnd())
        return *it;
    const qint32 id = qint32(m_strings.size());
    m_strings.append(text);
    m_stringIds.insert(text, id);
    return id;
}

QString SendResults::sequenceNumber(int row) const
{
    const qint64 offset = m_sequenceOffset[size_t(row)];
    if (offset < 0)
        return {};
    char digits[256];
    const size_t length = m_sequenceLength[size_t(row)];
    m_sequenceArena.copy(size_t(offset), length, digits);
    return QString::fromLatin1(digits, qsizetype(length));
}

void SendResults::markSucceeded(int row, const QString &shardId, const QString &sequenceNumber)
{
    markSucceededInterned(row, intern(shardId), sequenceNumber);
}

void SendResults::markSucceededInterned(int row, qint32 shardId, QStringView sequenceNumber)
{
    const size_t r = size_t(row);
    m_status[r] = quint8(RowStatus::Succeeded);
    m_shard[r] = shardId;
    // Latin-1 as QString::toLatin1() makes it ('?' for what Latin-1 lacks), without a QByteArray
    // per row; at most 255 characters.
    char digits[255];
    const qsizetype length = std::min<qsizetype>(sequenceNumber.size(), qsizetype(sizeof digits));
    for (qsizetype i = 0; i < length; ++i) {
        const char16_t c = sequenceNumber[i].unicode();
        digits[i] = c > 0xff ? '?' : char(c);
    }
    m_sequenceOffset[r] = m_sequenceArena.size();
    m_sequenceLength[r] = quint8(length);
    m_sequenceArena.append(digits, size_t(length));
    m_errorCode[r] = -1;
    m_errorMessage[r] = -1;
    m_retriable[r] = 0;
}

void SendResults::markFailed(int row, const QString &code, const QString &message, bool retriable)
{
    const size_t r = size_t(row);
    m_status[r] = quint8(RowStatus::Failed);
    m_errorCode[r] = intern(code);
    m_errorMessage[r] = intern(message);
    m_retriable[r] = retriable ? 1 : 0;
}

void SendResults::clearOutcome(int row)
{
    const size_t r = size_t(row);
    m_shard[r] = -1;
    m_sequenceOffset[r] = -1;
    m_sequenceLength[r] = 0;
    m_errorCode[r] = -1;
    m_errorMessage[r] = -1;
    m_retriable[r] = 0;
    m_verify[r] = quint8(VerifyState::NotVerified);
    forgetAggregate(row);
}

void SendResults::beginRun(const std::vector<int> &rows)
{
    // Send all: the rows are one run of consecutive rows (strictly ascending, no gap), filled at
    // memset speed.
    const bool contiguous = !rows.empty() && rows.back() - rows.front() == int(rows.size()) - 1
        && std::adjacent_find(rows.begin(), rows.end(), [](int a, int b) { return b != a + 1; }) == rows.end();
    const auto fill = [&rows, contiguous](auto &column, auto value) {
        if (contiguous) {
            column.fill(size_t(rows.front()), size_t(rows.back()) + 1, value);
            return;
        }
        for (int row : rows)
            column[size_t(row)] = value;
    };
    // A pending row has no outcome to clear (it was never sent, or its outcome was cleared when
    // it went back): only rows that failed or were cancelled need it, usually few.
    qint64 withOutcome = 0;
    for (int row : rows)
        withOutcome += status(row) != RowStatus::Pending;
    if (withOutcome > qint64(rows.size()) / 8) {
        fill(m_shard, qint32(-1));
        fill(m_sequenceOffset, qint64(-1));
        fill(m_sequenceLength, quint8(0));
        fill(m_errorCode, qint32(-1));
        fill(m_errorMessage, qint32(-1));
        fill(m_retriable, quint8(0));
        fill(m_verify, quint8(VerifyState::NotVerified));
        fill(m_subSequence, qint32(-1));
        fill(m_aggregateSize, qint32(0));
        fill(m_aggregateId, qint32(0));
        m_firstRowsValid = false;
    } else if (withOutcome > 0) {
        for (int row : rows)
            if (status(row) != RowStatus::Pending)
                clearOutcome(row);
    }
    fill(m_status, quint8(RowStatus::Queued));
}

void SendResults::addAttempt(int row, Attempt attempt)
{
    attempt.previous = m_lastAttempt[size_t(row)];
    m_lastAttempt[size_t(row)] = qint32(m_attempts.size());
    m_attempts.push_back(attempt);
    if (m_attemptCount[size_t(row)] < 0xffff)
        ++m_attemptCount[size_t(row)];
}

void SendResults::setAttempts(int row, const std::vector<Attempt> &attempts)
{
    m_lastAttempt[size_t(row)] = -1;
    m_attemptCount[size_t(row)] = 0;
    for (const Attempt &attempt : attempts)
        addAttempt(row, attempt);
}

std::vector<Attempt> SendResults::attempts(int row) const
{
    std::vector<Attempt> list;
    for (qint32 i = m_lastAttempt[size_t(row)]; i >= 0; i = m_attempts[size_t(i)].previous)
        list.push_back(m_attempts[size_t(i)]);
    std::reverse(list.begin(), list.end());
    return list;
}

int SendResults::aggregateFirstRow(int row) const
{
    const qint32 id = m_aggregateId[size_t(row)];
    if (id == 0)
        return row;
    if (!m_firstRowsValid) {
        m_firstRowOfAggregate.clear();
        for (size_t r = m_aggregateId.size(); r-- > 0;) // from the end: the lowest row is written last
            if (const qint32 rid = m_aggregateId[r]; rid != 0)
                m_firstRowOfAggregate.insert(rid, int(r));
        m_firstRowsValid = true;
    }
    return m_firstRowOfAggregate.value(id, row);
}

void SendResults::setAggregate(int row, int subSequence, int size, int firstRow)
{
    qint32 id = 0;
    if (firstRow != row && firstRow >= 0 && firstRow < this->size()) {
        id = m_aggregateId[size_t(firstRow)];
        if (id == 0) {
            id = newAggregateId();
            setAggregateIdOf(firstRow, id);
        }
    } else {
        id = newAggregateId();
    }
    m_subSequence[size_t(row)] = subSequence;
    m_aggregateSize[size_t(row)] = size;
    setAggregateIdOf(row, id);
}

void SendResults::setAggregateId(int row, int subSequence, int size, qint32 id)
{
    if (id <= 0) {
        forgetAggregate(row);
        return;
    }
    if (id >= m_nextAggregateId)
        m_nextAggregateId = id == std::numeric_limits<qint32>::max() ? id : id + 1;
    m_subSequence[size_t(row)] = subSequence;
    m_aggregateSize[size_t(row)] = size;
    setAggregateIdOf(row, id);
}

void SendResults::setAggregateIdOf(int row, qint32 id)
{
    const qint32 old = m_aggregateId[size_t(row)];
    if (old == id)
        return;
    m_aggregateId[size_t(row)] = id;
    if (!m_firstRowsValid)
        return;
    if (old != 0 && m_firstRowOfAggregate.value(old, -1) == row) {
        m_firstRowsValid = false; // the old record's first row left it: found again when asked
        return;
    }
    if (id == 0)
        return;
    auto it = m_firstRowOfAggregate.find(id);
    if (it == m_firstRowOfAggregate.end())
        m_firstRowOfAggregate.insert(id, row);
    else if (row < *it)
        *it = row;
}

qint32 SendResults::newAggregateId()
{
    if (m_nextAggregateId == std::numeric_limits<qint32>::max()) {
        QHash<qint32, qint32> renumbered;
        for (size_t r = 0; r < m_aggregateId.size(); ++r)
            if (const qint32 id = m_aggregateId[r]; id != 0) {
                auto it = renumbered.find(id);
                if (it == renumbered.end())
                    it = renumbered.insert(id, qint32(renumbered.size()) + 1);
                m_aggregateId[r] = *it;
            }
        m_nextAggregateId = qint32(renumbered.size()) + 1;
        m_firstRowsValid = false;
    }
    return m_nextAggregateId++;
}

void SendResults::forgetAggregate(int row)
{
    m_subSequence[size_t(row)] = -1;
    m_aggregateSize[size_t(row)] = 0;
    setAggregateIdOf(row, 0);
}

void SendResults::restore(int row, RowStatus status, const QString &shardId, const QString &sequenceNumber,
                          const QString &code, const QString &message, int attempts, bool retriable)
{
    clearOutcome(row);
    if (status == RowStatus::Succeeded)
        markSucceeded(row, shardId, sequenceNumber);
    else if (status == RowStatus::Failed || (status == RowStatus::Cancelled && !code.isEmpty()))
        markFailed(row, code, message, retriable);
    setStatus(row, status);
    m_attemptCount[size_t(row)] = quint16(std::clamp(attempts, 0, 0xffff));
}

} // namespace kwb::send
