#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace kwb {

/// A column of a columnar store: a std::vector shared between copies until one of them writes
/// (copy on write). Copying a store for a worker thread (a snapshot) then costs nothing per row;
/// the owner's next write to a shared column copies that column first. Const access never copies.
///
/// Not thread-safe by itself, like std::vector: one thread owns each copy. Copies may be read on
/// other threads while the owner goes on writing, because a write never touches a shared buffer.
/// Non-const access (operator[], begin(), end(), mut()) detaches; references and iterators it
/// returns are valid until the column is next copied or resized.
template<typename T>
class CowColumn
{
public:
    using value_type = T;
    using iterator = typename std::vector<T>::iterator;
    using const_iterator = typename std::vector<T>::const_iterator;

    std::size_t size() const { return m_data ? m_data->size() : 0; }
    bool empty() const { return size() == 0; }

    const T &operator[](std::size_t i) const { return (*m_data)[i]; }
    T &operator[](std::size_t i) { return mut()[i]; }

    const_iterator begin() const { return view().begin(); }
    const_iterator end() const { return view().end(); }
    iterator begin() { return mut().begin(); }
    iterator end() { return mut().end(); }

    void reserve(std::size_t n) { mut().reserve(n); }
    void clear() { m_data.reset(); }
    void push_back(const T &value) { mut().push_back(value); }
    void resize(std::size_t n) { mut().resize(n); }
    void resize(std::size_t n, const T &value) { mut().resize(n, value); }
    void assign(std::size_t n, const T &value) { mut().assign(n, value); }
    iterator insert(const_iterator at, const T &value) { return mut().insert(at, value); }

    /// The vector to write to, copied first if another copy shares it.
    std::vector<T> &mut()
    {
        if (!m_data)
            m_data = std::make_shared<std::vector<T>>();
        else if (m_data.use_count() > 1)
            m_data = std::make_shared<std::vector<T>>(*m_data);
        return *m_data;
    }
    const std::vector<T> &view() const
    {
        static const std::vector<T> empty;
        return m_data ? *m_data : empty;
    }
    /// Whether another copy shares the buffer (for tests).
    bool isShared() const { return m_data && m_data.use_count() > 1; }

private:
    std::shared_ptr<std::vector<T>> m_data;
};

} // namespace kwb
