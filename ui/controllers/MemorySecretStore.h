#pragma once

#include "controllers/SecretStore.h"

#include <QHash>

#include <optional>

namespace kwb::ui {

/// A SecretStore in memory, for tests (offscreen runs have no keychain daemon). Answers on the
/// next event-loop turn, like a real keychain. `failNext()` makes the next call fail.
/// GUI thread; owned by the test.
class MemorySecretStore : public SecretStore
{
public:
    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context, WriteCallback done) override;
    void remove(const QString &key, QObject *context, WriteCallback done) override;
    QString name() const override { return QStringLiteral("memory"); }

    void failNext(const Error &error) { m_failure = error; }
    const QHash<QString, QString> &contents() const { return m_secrets; }

private:
    QHash<QString, QString> m_secrets;
    std::optional<Error> m_failure;
};

} // namespace kwb::ui
