#include "controllers/MemorySecretStore.h"

#include <QTimer>

namespace kwb::ui {

void MemorySecretStore::read(const QString &key, QObject *context, ReadCallback done)
{
    Result<std::optional<QString>> result = std::optional<QString>();
    if (m_failure) {
        result = *m_failure;
        m_failure.reset();
    } else if (m_secrets.contains(key)) {
        result = std::optional<QString>(m_secrets.value(key));
    }
    QTimer::singleShot(0, context, [done = std::move(done), result] { done(result); });
}

void MemorySecretStore::write(const QString &key, const QString &secret, QObject *context, WriteCallback done)
{
    Result<void> result;
    if (m_failure) {
        result = *m_failure;
        m_failure.reset();
    } else {
        m_secrets.insert(key, secret);
    }
    QTimer::singleShot(0, context, [done = std::move(done), result] { done(result); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, WriteCallback done)
{
    m_secrets.remove(key);
    QTimer::singleShot(0, context, [done = std::move(done)] { done(Result<void>()); });
}

} // namespace kwb::ui
