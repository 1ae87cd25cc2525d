#include "aws/AwsConfigFile.h"
#include "Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <variant>

namespace kwb::aws {

namespace {


const QLatin1String kProfile("profile");
const QLatin1String kDefault("default");

Error lineError(const QString &fileName, int line, const QString &message)
{
    return Error::config(QStringLiteral("%1:%2: %3").arg(fileName).arg(line).arg(message),
                         QStringLiteral("ConfigFileSyntax"));
}

// A malformed line may hold a secret (a key line missing its `=`), so text from the file is
// quoted in messages only when it looks like a name.
bool safeToQuote(const QString &text)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9 _.@+:/-]{1,64}$"));
    return name.match(text).hasMatch();
}

bool isComment(const QString &trimmed)
{
    return trimmed.startsWith(QLatin1Char('#')) || trimmed.startsWith(QLatin1Char(';'));
}

bool hasInnerSpace(const QString &key)
{
    for (QChar c : key) {
        if (c.isSpace())
            return true;
    }
    return false;
}

// Where the first white space (as PCRE's \s: space, tab, line feed, vertical tab, form feed,
// carriage return) is in `text`, or -1. A loop rather than a regular expression: this runs for
// every section header, and compiling an expression each time costs more than the whole parse.
qsizetype firstAsciiSpace(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (c == u' ' || (c >= u'\t' && c <= u'\r'))
            return i;
    }
    return -1;
}

struct KeyValue
{
    QString key;
    QString value;
};

// Splits a trimmed `key = value` line; returns an error message (no text from the line) or the pair.
std::variant<KeyValue, QString> splitKeyValue(const QString &trimmed)
{
    const qsizetype eq = trimmed.indexOf(QLatin1Char('='));
    if (eq < 0) {
        return QStringLiteral("this line is neither a [section] header, a \"key = value\" pair nor a "
                              "comment. Fix or remove it; comments start with # or ;");
    }
    const QString key = trimmed.left(eq).trimmed().toLower();
    if (key.isEmpty())
        return QStringLiteral("\"=\" without a key name before it. Write \"key = value\"");
    if (hasInnerSpace(key)) {
        return QStringLiteral("the key name contains spaces (is an \"=\" missing after the key?). "
                              "Write \"key = value\"");
    }
    return KeyValue{key, trimmed.mid(eq + 1).trimmed()};
}

} // namespace

Result<AwsConfigFile> AwsConfigFile::parse(const QByteArray &content, const QString &fileName, Flavor flavor)
{
    AwsConfigFile file;
    file.m_fileName = fileName;
    file.m_flavor = flavor;
    file.m_exists = true;

    QString text = QString::fromUtf8(content);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    const QStringList lines = text.split(QLatin1Char('\n'));

    qsizetype current = -1;  // index into m_sections
    QString currentKey;      // last key of the current section, for sub-sections and continuations
    bool currentKeyOpensSubSection = false;

    for (qsizetype i = 0; i < lines.size(); ++i) {
        const int lineNumber = int(i + 1);
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();

        if (trimmed.isEmpty()) {
            currentKey.clear(); // a blank line ends a sub-section
            continue;
        }
        if (isComment(trimmed))
            continue;

        const bool indented = line.at(0) == QLatin1Char(' ') || line.at(0) == QLatin1Char('\t');
        if (indented && current >= 0 && !currentKey.isEmpty()) {
            AwsConfigSection &section = file.m_sections[current];
            if (currentKeyOpensSubSection) {
                auto pair = splitKeyValue(trimmed);
                if (auto *message = std::get_if<QString>(&pair)) {
                    return lineError(fileName, lineNumber,
                                     QStringLiteral("in the sub-section \"%1 =\": %2").arg(currentKey, *message));
                }
                const KeyValue &kv = std::get<KeyValue>(pair);
                section.subSections[currentKey].insert(kv.key, AwsConfigValue{kv.value, fileName, lineNumber});
            } else {
                // A continuation line of a multi-line value, as the AWS CLI's parser allows.
                AwsConfigValue &value = section.values[currentKey];
                value.value += QLatin1Char('\n') + trimmed;
            }
            continue;
        }

        if (trimmed.startsWith(QLatin1Char('['))) {
            const qsizetype close = trimmed.indexOf(QLatin1Char(']'));
            if (close < 0) {
                const QString quoted = safeToQuote(trimmed.mid(1)) ? QStringLiteral("\"%1\" ").arg(trimmed) : QString();
                return lineError(fileName, lineNumber,
                                 QStringLiteral("the section header %1has no closing \"]\". Write it as "
                                                "[default], [profile NAME] (config file) or [NAME] "
                                                "(credentials file) on one line")
                                     .arg(quoted));
            }
            const QString rest = trimmed.mid(close + 1).trimmed();
            if (!rest.isEmpty() && !isComment(rest)) {
                return lineError(fileName, lineNumber,
                                 QStringLiteral("unexpected text after the section header's \"]\". "
                                                "Put nothing but a comment after it"));
            }
            const QString header = trimmed.mid(1, close - 1).trimmed();
            if (header.isEmpty()) {
                return lineError(fileName, lineNumber,
                                 QStringLiteral("empty section header \"[]\". Name the section, e.g. [default]"));
            }

            AwsConfigSection section;
            section.header = header;
            section.line = lineNumber;
            if (flavor == Flavor::Credentials) {
                section.kind = kProfile;
                section.name = header;
            } else if (header == kDefault) {
                section.kind = kProfile;
                section.name = header;
            } else {
                const qsizetype space = firstAsciiSpace(header);
                const QString first = space < 0 ? header : header.left(space);
                const QString name = space < 0 ? QString() : header.mid(space + 1).trimmed();
                if (first == kProfile && name.isEmpty()) {
                    return lineError(fileName, lineNumber,
                                     QStringLiteral("[profile] has no profile name. Write [profile NAME]"));
                }
                if (!name.isEmpty()) {
                    section.kind = first;
                    section.name = name;
                } else {
                    section.kind = header; // [plugins], [preview], or a profile written as [NAME] by mistake
                }
            }

            current = -1;
            for (qsizetype s = 0; s < file.m_sections.size(); ++s) {
                const AwsConfigSection &existing = file.m_sections.at(s);
                if (existing.kind == section.kind && existing.name == section.name) {
                    qCDebug(lcAwsConfig).noquote()
                        << QStringLiteral("%1:%2: section [%3] repeats the one at line %4; merging them")
                               .arg(fileName).arg(lineNumber).arg(header).arg(existing.line);
                    current = s;
                    break;
                }
            }
            if (current < 0) {
                file.m_sections.append(section);
                current = file.m_sections.size() - 1;
            }
            currentKey.clear();
            continue;
        }

        auto pair = splitKeyValue(trimmed);
        if (auto *message = std::get_if<QString>(&pair))
            return lineError(fileName, lineNumber, *message);
        const KeyValue &kv = std::get<KeyValue>(pair);
        if (current < 0) {
            const QString quoted = safeToQuote(kv.key) ? QStringLiteral("\"%1\" ").arg(kv.key) : QString();
            return lineError(fileName, lineNumber,
                             QStringLiteral("the key %1appears before any section header. Put it under "
                                            "[default] or a named profile section")
                                 .arg(quoted));
        }
        AwsConfigSection &section = file.m_sections[current];
        section.values.insert(kv.key, AwsConfigValue{kv.value, fileName, lineNumber});
        section.subSections.remove(kv.key);
        currentKey = kv.key;
        currentKeyOpensSubSection = kv.value.isEmpty();
    }
    return file;
}

Result<AwsConfigFile> AwsConfigFile::load(const QString &path, Flavor flavor, const QString &displayName)
{
    const QString shownName = displayName.isEmpty() ? path : displayName;
    QFileInfo info(path);
    if (!info.exists()) {
        AwsConfigFile file;
        file.m_fileName = shownName;
        file.m_flavor = flavor;
        return file;
    }
    if (info.isDir()) {
        return Error::config(QStringLiteral("%1 is a directory, not an AWS %2 file. Point the setting "
                                            "at a file or remove it")
                                 .arg(shownName,
                                      flavor == Flavor::Config ? QStringLiteral("config")
                                                               : QStringLiteral("credentials")),
                             QStringLiteral("ConfigFileUnreadable"));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error::config(QStringLiteral("cannot read %1: %2. Check that the file is readable by you")
                                 .arg(shownName, file.errorString()),
                             QStringLiteral("ConfigFileUnreadable"));
    }
    return parse(file.readAll(), shownName, flavor);
}

QStringList AwsConfigFile::profileNames() const
{
    QStringList names;
    for (const AwsConfigSection &section : m_sections) {
        if (section.kind == kProfile && !names.contains(section.name))
            names.append(section.name);
    }
    return names;
}

const AwsConfigSection *AwsConfigFile::profile(const QString &name) const
{
    return section(kProfile, name);
}

const AwsConfigSection *AwsConfigFile::section(const QString &kind, const QString &name) const
{
    for (const AwsConfigSection &section : m_sections) {
        if (section.kind == kind && section.name == name)
            return &section;
    }
    return nullptr;
}

std::optional<AwsConfigValue> AwsConfigFile::value(const QString &profileName, const QString &key) const
{
    const AwsConfigSection *section = profile(profileName);
    if (!section)
        return std::nullopt;
    const auto it = section->values.constFind(key);
    if (it == section->values.constEnd())
        return std::nullopt;
    return *it;
}

} // namespace kwb::aws
