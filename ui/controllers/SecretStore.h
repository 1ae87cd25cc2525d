#pragma once

#include "Result.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace kwb::ui {

/// Where keys typed into the app (access key id, secret, session token) are kept: the system
/// keychain in the app (KeychainSecretStore), memory in tests (MemorySecretStore). Never
/// QSettings, workspace files or logs. Asynchronous: callbacks run later on the calling (GUI)
/// thread, and only while `context` is alive. Implementations are owned by whoever creates them
/// (main(), a test) and must outlive the controllers that use them.
class SecretStore
{
public:
    using ReadCallback = std::function<void(Result<std::optional<QString>>)>; ///< nullopt: nothing stored
    using WriteCallback = std::function<void(Result<void>)>;

    virtual ~SecretStore() = default;

    virtual void read(const QString &key, QObject *context, ReadCallback done) = 0;
    virtual void write(const QString &key, const QString &secret, QObject *context, WriteCallback done) = 0;
    virtual void remove(const QString &key, QObject *context, WriteCallback done) = 0;
    /// "system keychain", "memory (tests)": for messages.
    virtual QString name() const = 0;
};

} // namespace kwb::ui
