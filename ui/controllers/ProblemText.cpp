#include "controllers/ProblemText.h"

#include <QCoreApplication>

namespace kwb::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ProblemText", text);
}

} // namespace

bool ProblemText::isCredentialProblem(const Error &error)
{
    return error.kind == Error::Kind::Access || error.code == QLatin1String("NoCredentials")
        || error.code.contains(QLatin1String("Credential")) || error.code.startsWith(QLatin1String("Keychain"))
        || error.code == QLatin1String("NoKeychain");
}

QString ProblemText::describe(const Error &error, const QString &endpoint)
{
    const QString where = endpoint.isEmpty() ? tr("the endpoint") : endpoint;
    const QString code = error.code;
    if (code == QLatin1String("NoCredentials"))
        return tr("No AWS credentials were found. %1 Choose a profile that has keys, or enter keys for a custom "
                  "endpoint (they are kept in the system keychain).")
            .arg(error.message);
    if (code == QLatin1String("ExpiredTokenException") || code == QLatin1String("ExpiredToken"))
        return tr("The session token has expired (%1). Refresh your credentials (for example `aws sso login` or a new "
                  "session token) and connect again.")
            .arg(error.message);
    if (code == QLatin1String("UnrecognizedClientException") || code == QLatin1String("InvalidClientTokenId"))
        return tr("%1 does not know this access key id (%2). Check the access key, or that the profile points to the "
                  "right account.")
            .arg(where, error.message);
    if (code == QLatin1String("InvalidSignatureException") || code == QLatin1String("SignatureDoesNotMatch"))
        return tr("%1 rejected the request signature (%2). The secret access key is probably wrong, or the clock of "
                  "this computer is off by more than 5 minutes.")
            .arg(where, error.message);
    switch (error.kind) {
    case Error::Kind::Access:
        return tr("%1 refused the credentials: %2 (%3). The keys may lack permission for Kinesis, or belong to "
                  "another account.")
            .arg(where, error.message, code);
    case Error::Kind::Config:
        return tr("The connection settings are incomplete: %1").arg(error.message);
    case Error::Kind::Network:
        return tr("Cannot reach %1: %2. Is it running, and is the URL right?").arg(where, error.message);
    case Error::Kind::Timeout:
        return tr("%1 did not answer in time: %2").arg(where, error.message);
    case Error::Kind::NotFound:
        return tr("Not found: %1").arg(error.message);
    case Error::Kind::Throttling:
        return tr("%1 is throttling requests (%2). Wait a moment and try again.").arg(where, error.message);
    case Error::Kind::Server:
        return tr("%1 failed on its side (%2): %3. Trying again later may work.").arg(where, code, error.message);
    case Error::Kind::Cancelled:
        return tr("Cancelled.");
    default:
        return error.toString();
    }
}

} // namespace kwb::ui
