#include "aws/Environment.h"

#include <QDir>

namespace kwb::aws {

Environment Environment::system()
{
    return Environment{QProcessEnvironment::systemEnvironment(), QDir::homePath()};
}

Environment Environment::fromMap(const QMap<QString, QString> &variables, const QString &homeDir)
{
    QProcessEnvironment environment;
    for (auto it = variables.constBegin(); it != variables.constEnd(); ++it)
        environment.insert(it.key(), it.value());
    return Environment{environment, homeDir};
}

QString Environment::value(const QString &name) const
{
    return variables.value(name).trimmed();
}

QString Environment::expandHome(const QString &path) const
{
    if (homeDir.isEmpty())
        return path;
    if (path == QLatin1String("~"))
        return homeDir;
    if (path.startsWith(QLatin1String("~/")))
        return QDir(homeDir).filePath(path.mid(2));
    return path;
}

QString Environment::displayPath(const QString &path) const
{
    if (homeDir.isEmpty())
        return path;
    const QString home = QDir::cleanPath(homeDir);
    if (home == QLatin1String("/"))
        return path;
    if (path == home)
        return QStringLiteral("~");
    if (path.startsWith(home + QLatin1Char('/')))
        return QLatin1Char('~') + path.mid(home.size());
    return path;
}

QString Environment::credentialsFilePath() const
{
    const QString fromVariable = value(QStringLiteral("AWS_SHARED_CREDENTIALS_FILE"));
    if (!fromVariable.isEmpty())
        return expandHome(fromVariable);
    return homeDir.isEmpty() ? QString() : QDir(homeDir).filePath(QStringLiteral(".aws/credentials"));
}

QString Environment::configFilePath() const
{
    const QString fromVariable = value(QStringLiteral("AWS_CONFIG_FILE"));
    if (!fromVariable.isEmpty())
        return expandHome(fromVariable);
    return homeDir.isEmpty() ? QString() : QDir(homeDir).filePath(QStringLiteral(".aws/config"));
}

} // namespace kwb::aws
