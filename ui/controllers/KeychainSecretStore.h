#pragma once

#include "controllers/SecretStore.h"

namespace kwb::ui {

/// A SecretStore in the system keychain (Secret Service / KWallet on Linux, Keychain on macOS,
/// Credential Manager on Windows) through QtKeychain. Never falls back to a plain-text file: with
/// no keychain available, calls fail with a Config error saying so. GUI thread; owned by main().
class KeychainSecretStore : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("Kinesis Workbench"));

    void read(const QString &key, QObject *context, ReadCallback done) override;
    void write(const QString &key, const QString &secret, QObject *context, WriteCallback done) override;
    void remove(const QString &key, QObject *context, WriteCallback done) override;
    QString name() const override { return QStringLiteral("system keychain"); }

private:
    QString m_service;
};

} // namespace kwb::ui
