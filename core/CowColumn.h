#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

namespace kwb {

/// A column of a columnar store, kept in chunks of kChunk elements that copies share until one of
/// them writes (copy on write, per chunk). Copying a store for a worker thread (a snapshot) then
/// costs a pointer per chunk, and the owner's next write to a shared chunk copies that chunk only
/// (64 Ki elements), never the whole column: a write while a worker reads a million rows stays
/// well under a millisecond. Chunks are allocated at their full size, so a growing column has no
/// doubling slack and never moves its elements. Const access never copies.
///
/// Not thread-safe by itself, like std::vector: one thread owns each copy. Copies may be read on
/// other threads while the owner goes on writing, because a write never touches a shared chunk.
/// Non-const access (operator[], begin(), end(), fill()) detaches the chunks it writes to;
/// references it returns are valid until the column is next copied or resized.
template<typename T>
class CowColumn
{
    static constexpr std::size_t kShift = 16;
    static constexpr std::size_t kMask = (std::size_t(1) << kShift) - 1;
    using Chunk = std::vector<T>;

public:
    static constexpr std::size_t kChunk = std::size_t(1) << kShift;
    using value_type = T;

    /// Random access over the elements; a Column is CowColumn or const CowColumn, and writing
    /// through a non-const iterator detaches the chunk it lands in.
    template<typename Column, typename Ref>
    class Iterator
    {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using pointer = std::remove_reference_t<Ref> *;
        using reference = Ref;

        Iterator() = default;
        Iterator(Column *column, std::size_t index) : m_column(column), m_index(index) {}

        reference operator*() const { return (*m_column)[m_index]; }
        pointer operator->() const { return &(*m_column)[m_index]; }
        reference operator[](difference_type n) const { return (*m_column)[std::size_t(difference_type(m_index) + n)]; }
        Iterator &operator++() { ++m_index; return *this; }
        Iterator operator++(int) { Iterator old = *this; ++m_index; return old; }
        Iterator &operator--() { --m_index; return *this; }
        Iterator operator--(int) { Iterator old = *this; --m_index; return old; }
        Iterator &operator+=(difference_type n) { m_index = std::size_t(difference_type(m_index) + n); return *this; }
        Iterator &operator-=(difference_type n) { m_index = std::size_t(difference_type(m_index) - n); return *this; }
        friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
        friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
        friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
        friend difference_type operator-(const Iterator &a, const Iterator &b) { return difference_type(a.m_index) - difference_type(b.m_index); }
        friend bool operator==(const Iterator &a, const Iterator &b) { return a.m_index == b.m_index; }
        friend auto operator<=>(const Iterator &a, const Iterator &b) { return a.m_index <=> b.m_index; }
        std::size_t index() const { return m_index; }

    private:
        Column *m_column = nullptr;
        std::size_t m_index = 0;
    };
    using iterator = Iterator<CowColumn, T &>;
    using const_iterator = Iterator<const CowColumn, const T &>;

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }

    const T &operator[](std::size_t i) const { return (*m_chunks[i >> kShift])[i & kMask]; }
    T &operator[](std::size_t i) { return own(i >> kShift)[i & kMask]; }

    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_size}; }
    iterator begin() { return {this, 0}; }
    iterator end() { return {this, m_size}; }

    /// Only the chunk list is reserved: chunks are allocated at full size as the column grows.
    void reserve(std::size_t n) { m_chunks.reserve((n + kMask) >> kShift); }
    void clear()
    {
        m_chunks.clear();
        m_size = 0;
    }
    void push_back(const T &value)
    {
        Chunk &last = tail();
        makeRoom(last, 1);
        last.push_back(value);
        ++m_size;
    }
    /// Appends `n` elements from `values`.
    void append(const T *values, std::size_t n)
    {
        while (n > 0) {
            Chunk &last = tail();
            const std::size_t take = std::min(n, kChunk - last.size());
            makeRoom(last, take);
            last.insert(last.end(), values, values + take);
            values += take;
            n -= take;
            m_size += take;
        }
    }
    /// Copies `n` elements from `first` on to `out`.
    void copy(std::size_t first, std::size_t n, T *out) const
    {
        while (n > 0) {
            const Chunk &chunk = *m_chunks[first >> kShift];
            const std::size_t at = first & kMask;
            const std::size_t take = std::min(n, chunk.size() - at);
            std::copy_n(chunk.begin() + std::ptrdiff_t(at), take, out);
            out += take;
            first += take;
            n -= take;
        }
    }
    void resize(std::size_t n) { resize(n, T()); }
    void resize(std::size_t n, const T &value)
    {
        if (n < m_size) {
            m_chunks.resize((n + kMask) >> kShift);
            if (n & kMask)
                own(n >> kShift).resize(n & kMask);
            m_size = n;
            return;
        }
        while (m_size < n) {
            Chunk &last = tail();
            const std::size_t take = std::min(n - m_size, kChunk - last.size());
            makeRoom(last, take);
            last.insert(last.end(), take, value);
            m_size += take;
        }
    }
    void assign(std::size_t n, const T &value)
    {
        clear();
        resize(n, value);
    }
    /// Sets [first, last) to `value`, a chunk at a time; a shared chunk that is overwritten
    /// whole is replaced, not copied.
    void fill(std::size_t first, std::size_t last, const T &value)
    {
        while (first < last) {
            const std::size_t c = first >> kShift;
            const std::size_t at = first & kMask;
            const std::size_t end = std::min(last, (c + 1) << kShift);
            if (at == 0 && end - first == m_chunks[c]->size() && m_chunks[c].use_count() > 1)
                m_chunks[c] = std::make_shared<Chunk>(m_chunks[c]->size(), value);
            else
                std::fill(own(c).begin() + std::ptrdiff_t(at), own(c).begin() + std::ptrdiff_t(at + end - first), value);
            first = end;
        }
    }

    /// Whether another copy shares a chunk (the next write to it copies it).
    bool isShared() const
    {
        return std::any_of(m_chunks.begin(), m_chunks.end(), [](const auto &c) { return c.use_count() > 1; });
    }

private:
    /// Grows a chunk's capacity geometrically, but never past kChunk: no slack in full chunks.
    static void makeRoom(Chunk &chunk, std::size_t extra)
    {
        const std::size_t need = chunk.size() + extra;
        if (need > chunk.capacity())
            chunk.reserve(std::min(kChunk, std::max(need, 2 * chunk.capacity())));
    }
    /// The chunk that takes the next element: the last one, or a new one when that is full.
    Chunk &tail()
    {
        if ((m_size & kMask) == 0)
            m_chunks.push_back(std::make_shared<Chunk>());
        return own(m_size >> kShift);
    }
    /// The chunk to write to, copied first if another copy shares it. A chunk only this copy
    /// holds may be written (and reallocated) freely: no other thread can be reading it.
    Chunk &own(std::size_t chunk)
    {
        std::shared_ptr<Chunk> &c = m_chunks[chunk];
        if (c.use_count() > 1)
            c = std::make_shared<Chunk>(*c);
        return *c;
    }

    std::vector<std::shared_ptr<Chunk>> m_chunks;
    std::size_t m_size = 0;
};

} // namespace kwb
