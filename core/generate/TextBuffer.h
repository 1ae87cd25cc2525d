#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>
#include <memory>

namespace kwb::generate {

/// The generator's output buffer: appends are inline (a record takes a few dozen small writes,
/// and neither QByteArray's nor std::string's single-character append inlines), and clear()
/// keeps the capacity, so the buffers are reused record after record. A value; one thread.
class TextBuffer
{
public:
    TextBuffer() = default;
    TextBuffer(const TextBuffer &other) { append(other.view()); }
    TextBuffer &operator=(const TextBuffer &other)
    {
        if (this != &other) {
            clear();
            append(other.view());
        }
        return *this;
    }
    TextBuffer(TextBuffer &&) noexcept = default;
    TextBuffer &operator=(TextBuffer &&) noexcept = default;

    TextBuffer &append(char c)
    {
        if (m_size == m_capacity)
            grow(1);
        m_data[m_size++] = c;
        return *this;
    }
    TextBuffer &append(const char *text, qsizetype n)
    {
        if (m_size + n > m_capacity)
            grow(n);
        if (n > 0)
            std::memcpy(m_data.get() + m_size, text, size_t(n));
        m_size += n;
        return *this;
    }
    TextBuffer &append(const char *text) { return append(text, qsizetype(std::strlen(text))); }
    TextBuffer &append(QByteArrayView bytes) { return append(bytes.data(), bytes.size()); }
    TextBuffer &append(const QByteArray &bytes) { return append(bytes.constData(), bytes.size()); }
    TextBuffer &append(const TextBuffer &other) { return append(other.constData(), other.size()); }

    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    char *data() { return m_data.get(); }
    const char *constData() const { return m_data.get(); }
    void clear() { m_size = 0; }
    QByteArrayView view() const { return QByteArrayView(m_data.get(), m_size); }
    /// Copies into `out`, reusing its capacity.
    void copyTo(QByteArray &out) const
    {
        out.resize(m_size);
        if (m_size > 0)
            std::memcpy(out.data(), m_data.get(), size_t(m_size));
    }

private:
    void grow(qsizetype more)
    {
        const qsizetype capacity = std::max<qsizetype>({64, m_capacity * 2, m_size + more});
        std::unique_ptr<char[]> bigger(new char[size_t(capacity)]);
        if (m_size > 0)
            std::memcpy(bigger.get(), m_data.get(), size_t(m_size));
        m_data = std::move(bigger);
        m_capacity = capacity;
    }

    std::unique_ptr<char[]> m_data;
    qsizetype m_size = 0;
    qsizetype m_capacity = 0;
};

} // namespace kwb::generate
