#include "Cli.h"

#include <QCoreApplication>

#include <cstring>
#include <vector>

namespace {

/// `--mfa-code CODE` (or `--mfa-code=CODE`): the code moves into the environment variable
/// KWB_MFA_CODE of this process (Cli reads it there) and its bytes in the argument area are
/// overwritten, so the process list (`ps`, /proc/PID/cmdline) no longer shows it once kwb has
/// started. Returns the arguments without the option, for QCoreApplication.
std::vector<char *> withoutMfaCode(int argc, char *argv[])
{
    std::vector<char *> kept;
    kept.reserve(size_t(argc) + 1);
    bool optionsEnd = false;
    for (int i = 0; i < argc; ++i) {
        char *arg = argv[i];
        if (i > 0 && !optionsEnd && std::strcmp(arg, "--") == 0)
            optionsEnd = true;
        char *code = nullptr;
        if (i > 0 && !optionsEnd) {
            if (std::strcmp(arg, "--mfa-code") == 0 && i + 1 < argc)
                code = argv[++i];
            else if (std::strncmp(arg, "--mfa-code=", 11) == 0)
                code = arg + 11;
        }
        if (!code) {
            kept.push_back(arg);
            continue;
        }
        qputenv(kwb::cli::Cli::kMfaCodeVariable, QByteArray(code));
        std::memset(code, 'x', std::strlen(code));
    }
    kept.push_back(nullptr);
    return kept;
}

} // namespace

int main(int argc, char *argv[])
{
    std::vector<char *> arguments = withoutMfaCode(argc, argv);
    int count = int(arguments.size()) - 1;
    QCoreApplication app(count, arguments.data());
    QCoreApplication::setApplicationName(QStringLiteral("kwb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KWB_VERSION));
    kwb::cli::Cli cli(QCoreApplication::arguments());
    cli.start();
    return app.exec();
}
