#include "controllers/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QPointer>

#include <qt6keychain/keychain.h>

namespace kwb::ui {

namespace {

Error keychainError(QKeychain::Error code, const QString &detail)
{
    const QString what = QCoreApplication::translate("KeychainSecretStore", "The system keychain");
    switch (code) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Error::config(QCoreApplication::translate("KeychainSecretStore",
                                                         "No system keychain is available (%1), so keys typed into the "
                                                         "app cannot be kept. Use a profile in ~/.aws/credentials or "
                                                         "environment variables instead.")
                                 .arg(detail),
                             QStringLiteral("NoKeychain"));
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        return Error::config(QCoreApplication::translate("KeychainSecretStore", "%1 refused access: %2").arg(what, detail),
                             QStringLiteral("KeychainAccessDenied"));
    default:
        return Error::config(QCoreApplication::translate("KeychainSecretStore", "%1 failed: %2").arg(what, detail),
                             QStringLiteral("KeychainError"));
    }
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service)
    : m_service(std::move(service))
{
}

void KeychainSecretStore::read(const QString &key, QObject *context, ReadCallback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (read->error() == QKeychain::EntryNotFound)
            return done(std::optional<QString>());
        if (read->error() != QKeychain::NoError)
            return done(keychainError(read->error(), read->errorString()));
        done(std::optional<QString>(read->textData()));
    });
    job->start();
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context, WriteCallback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError)
            return done(keychainError(finished->error(), finished->errorString()));
        done(Result<void>());
    });
    job->start();
}

void KeychainSecretStore::remove(const QString &key, QObject *context, WriteCallback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *finished) {
        if (finished->error() != QKeychain::NoError && finished->error() != QKeychain::EntryNotFound)
            return done(keychainError(finished->error(), finished->errorString()));
        done(Result<void>());
    });
    job->start();
}

} // namespace kwb::ui
