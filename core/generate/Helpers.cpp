// The helpers of generator templates: KDG's (faker.js names) and kwb's own (current.*).
#include "Helpers.h"

#include "JsonEscape.h"
#include "WordLists.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <functional>

namespace kwb::generate::helpers {

namespace {

using Args = std::vector<HelperArg>;
using Compile = std::function<Result<void>(HelperCall &, const Args &)>;

constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kMaxCount = 10000; ///< words, sentences, characters: a bound on one value's size

// --- writing values -------------------------------------------------------------------------

void appendInt(TextBuffer &out, qint64 value)
{
    // Digits from the end of a local buffer, then one append.
    char buf[24];
    char *p = buf + sizeof buf;
    quint64 v = value < 0 ? 0 - quint64(value) : quint64(value);
    do {
        *--p = char('0' + v % 10);
        v /= 10;
    } while (v != 0);
    if (value < 0)
        *--p = '-';
    out.append(p, buf + sizeof buf - p);
}

/// `scaled` / 10^decimals in fixed notation; trailing zeros dropped when `trim` (as JavaScript
/// prints numbers).
void appendDecimal(TextBuffer &out, qint64 scaled, int decimals, bool trim)
{
    if (decimals == 0)
        return appendInt(out, scaled);
    qint64 unit = 1;
    for (int i = 0; i < decimals; ++i)
        unit *= 10;
    if (scaled < 0)
        out.append('-');
    const quint64 abs = scaled < 0 ? 0 - quint64(scaled) : quint64(scaled);
    appendInt(out, qint64(abs / quint64(unit)));
    quint64 fraction = abs % quint64(unit);
    int digits = decimals;
    if (trim) {
        while (digits > 0 && fraction % 10 == 0) {
            fraction /= 10;
            --digits;
        }
        if (digits == 0)
            return;
    }
    out.append('.');
    char buf[24];
    for (int i = digits - 1; i >= 0; --i) {
        buf[i] = char('0' + fraction % 10);
        fraction /= 10;
    }
    out.append(buf, digits);
}

void writeHex(char *to, quint64 value, int digits)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i)
        *to++ = hex[(value >> (4 * i)) & 0xf];
}

void appendHex(TextBuffer &out, quint64 value, int digits)
{
    char buf[16];
    writeHex(buf, value, digits);
    out.append(buf, digits);
}

QByteArrayView pick(const WordList &list, Rng &rng)
{
    return list.at(size_t(rng.below(list.size)));
}

void appendLower(TextBuffer &out, QByteArrayView word)
{
    const qsizetype start = out.size();
    out.append(word);
    char *p = out.data() + start;
    for (qsizetype i = 0; i < word.size(); ++i)
        if (p[i] >= 'A' && p[i] <= 'Z')
            p[i] = char(p[i] + 32);
        else if (p[i] == ' ')
            p[i] = '-';
}

void appendUuid(TextBuffer &out, Rng &rng)
{
    const quint64 a = rng.next();
    const quint64 b = rng.next();
    // Version 4, variant 10xx: 8-4-4-4-12 hex digits.
    char buf[36];
    writeHex(buf, a >> 32, 8);
    buf[8] = '-';
    writeHex(buf + 9, (a >> 16) & 0xffff, 4);
    buf[13] = '-';
    writeHex(buf + 14, 0x4000 | (a & 0x0fff), 4);
    buf[18] = '-';
    writeHex(buf + 19, 0x8000 | ((b >> 48) & 0x3fff), 4);
    buf[23] = '-';
    writeHex(buf + 24, b & 0xffffffffffffULL, 12);
    out.append(buf, 36);
}

/// The time as JavaScript's Date.toISOString() writes it: 2024-03-05T10:11:12.345Z.
void appendIso(TextBuffer &out, qint64 epochMs)
{
    static thread_local const MomentFormat iso(QStringLiteral("YYYY-MM-DD[T]HH:mm:ss.SSS[Z]"));
    iso.format(epochMs, true, out);
}

void appendWords(TextBuffer &out, Rng &rng, qint64 count, const WordList &list)
{
    for (qint64 i = 0; i < count; ++i) {
        if (i > 0)
            out.append(' ');
        out.append(pick(list, rng));
    }
}

void appendSentence(TextBuffer &out, Rng &rng, qint64 words)
{
    const qsizetype start = out.size();
    appendWords(out, rng, words, words::lorem);
    char &first = out.data()[start];
    if (first >= 'a' && first <= 'z')
        first = char(first - 32);
    out.append('.');
}

// --- argument checks ------------------------------------------------------------------------

Error argError(const QString &message)
{
    return Error::input(message, QStringLiteral("TemplateArgument"));
}

QString shown(const QJsonValue &value)
{
    if (value.isString())
        return QStringLiteral("\"%1\"").arg(value.toString());
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 17);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isNull())
        return QStringLiteral("null");
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

/// Decimal places of a precision such as 0.01 (2) or 1 (0); -1 if it is not 10^-n or a whole number.
int decimalsOf(double precision)
{
    for (int d = 0; d <= 6; ++d) {
        const double scaled = precision * std::pow(10.0, d);
        if (std::fabs(scaled - std::round(scaled)) < 1e-9 && std::round(scaled) >= 1)
            return d;
    }
    return -1;
}

bool isWhole(double v)
{
    return std::isfinite(v) && std::floor(v) == v && std::fabs(v) <= 9.0e15;
}

/// No argument, or one whole number from `low` to `high`: the count.
Result<qint64> optionalCount(const QString &name, const Args &args, qint64 fallback, qint64 low = 0)
{
    if (args.empty())
        return fallback;
    if (args.size() > 1 || !args[0].value.isDouble() || !isWhole(args[0].value.toDouble()) || args[0].value.toDouble() < double(low)
        || args[0].value.toDouble() > double(kMaxCount))
        return argError(QStringLiteral("%1 takes one whole number from %2 to %3 (a count), not %4")
                            .arg(name)
                            .arg(low)
                            .arg(kMaxCount)
                            .arg(args.empty() ? QString() : shown(args[0].value)));
    return qint64(args[0].value.toDouble());
}

Result<void> noArgs(const QString &name, const Args &args)
{
    if (!args.empty())
        return argError(QStringLiteral("%1 takes no arguments: write {{%1}}").arg(name));
    return {};
}

/// random.number's arguments: (max), (min, max) or ({"min", "max", "precision"}).
Result<void> numberRange(HelperCall &call, const QString &name, const Args &args, double defMin, double defMax,
                         double defPrecision, bool trim)
{
    double min = defMin, max = defMax, precision = defPrecision;
    const QString usage = QStringLiteral("%1 takes (max), (min, max) or ({\"min\": A, \"max\": B, \"precision\": P})").arg(name);
    if (args.size() == 1 && args[0].value.isDouble()) {
        max = args[0].value.toDouble();
    } else if (args.size() == 2 && args[0].value.isDouble() && args[1].value.isDouble()) {
        min = args[0].value.toDouble();
        max = args[1].value.toDouble();
    } else if (args.size() == 1 && args[0].value.isObject()) {
        const QJsonObject o = args[0].value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (it.key() != QLatin1String("min") && it.key() != QLatin1String("max") && it.key() != QLatin1String("precision"))
                return argError(QStringLiteral("%1: unknown member \"%2\" (it takes min, max and precision)").arg(name, it.key()));
            if (!it.value().isDouble())
                return argError(QStringLiteral("%1: \"%2\" must be a number, not %3").arg(name, it.key(), shown(it.value())));
        }
        min = o.value(QLatin1String("min")).toDouble(min);
        max = o.value(QLatin1String("max")).toDouble(max);
        precision = o.value(QLatin1String("precision")).toDouble(precision);
    } else if (!args.empty()) {
        return argError(usage + QStringLiteral(", not %1").arg(shown(args[0].value)));
    }
    const int decimals = decimalsOf(precision);
    if (decimals < 0)
        return argError(QStringLiteral("%1: precision must be a whole number or 0.1, 0.01 ... 0.000001, not %2").arg(name).arg(precision));
    const double unit = std::pow(10.0, decimals);
    if (!std::isfinite(min) || !std::isfinite(max) || std::fabs(min) * unit > 9.0e15 || std::fabs(max) * unit > 9.0e15)
        return argError(QStringLiteral("%1: min and max must lie within +-9e15 / 10^decimals").arg(name));
    if (min > max)
        return argError(QStringLiteral("%1: min (%2) is above max (%3)").arg(name).arg(min).arg(max));
    call.decimals = decimals;
    call.step = qint64(std::llround(precision * unit));
    call.low = qint64(std::ceil(min * unit - 1e-6));
    call.high = qint64(std::floor(max * unit + 1e-6));
    if (call.high < call.low)
        return argError(QStringLiteral("%1: no value between min %2 and max %3 at precision %4").arg(name).arg(min).arg(max).arg(precision));
    call.trimZeros = trim;
    call.kind = ValueKind::Number;
    call.plain = true;
    return {};
}

ValueKind renderNumber(const HelperCall &c, RenderState &s, TextBuffer &out)
{
    const qint64 steps = (c.high - c.low) / c.step;
    appendDecimal(out, c.low + qint64(s.rng.below(quint64(steps) + 1)) * c.step, c.decimals, c.trimZeros);
    return ValueKind::Number;
}

/// Items of an array argument: each written as JSON (strings without their quotes), with its kind.
Result<void> takeItems(HelperCall &call, const QString &name, const QJsonArray &array)
{
    if (array.isEmpty())
        return argError(QStringLiteral("%1: the array is empty; give at least one element").arg(name));
    call.plain = true;
    call.maxBytes = 0;
    for (const QJsonValue &item : array) {
        QByteArray text;
        ValueKind kind = ValueKind::Number;
        if (item.isString()) {
            text = item.toString().toUtf8();
            kind = ValueKind::String;
        } else if (item.isDouble()) {
            text = QByteArray::number(item.toDouble(), 'g', 17);
        } else if (item.isBool()) {
            text = item.toBool() ? "true" : "false";
            kind = ValueKind::Boolean;
        } else if (item.isNull()) {
            text = "null";
            kind = ValueKind::Boolean;
        } else {
            // An object or array element goes in as JSON.
            text = item.isArray() ? QJsonDocument(item.toArray()).toJson(QJsonDocument::Compact)
                                  : QJsonDocument(item.toObject()).toJson(QJsonDocument::Compact);
        }
        for (char ch : text)
            if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20)
                call.plain = false;
        call.maxBytes = std::max<qint64>(call.maxBytes, text.size());
        call.items.push_back(text);
        call.itemKinds.push_back(kind);
    }
    const bool allStrings = std::all_of(call.itemKinds.begin(), call.itemKinds.end(), [](ValueKind k) { return k == ValueKind::String; });
    call.kind = allStrings ? ValueKind::String : ValueKind::Number;
    if (!allStrings)
        call.plain = false; // JSON items written into a string need their quotes escaped
    return {};
}

ValueKind renderItem(const HelperCall &c, size_t i, TextBuffer &out)
{
    out.append(c.items[i]);
    return c.itemKinds[i];
}

ValueKind renderArrayElement(const HelperCall &c, RenderState &s, TextBuffer &out)
{
    return renderItem(c, size_t(s.rng.below(c.items.size())), out);
}

ValueKind renderWeighted(const HelperCall &c, RenderState &s, TextBuffer &out)
{
    const double r = s.rng.uniform() * c.cumulative.back();
    const auto it = std::upper_bound(c.cumulative.begin(), c.cumulative.end(), r);
    const size_t i = std::min(size_t(it - c.cumulative.begin()), c.items.size() - 1);
    return renderItem(c, i, out);
}

ValueKind renderDate(const HelperCall &c, RenderState &s, TextBuffer &out)
{
    if (c.format.subSecond()) {
        c.format.format(s.epochMs, c.utc, out);
        return ValueKind::String;
    }
    const qint64 second = s.epochMs >= 0 ? s.epochMs / 1000 : (s.epochMs - 999) / 1000;
    if (second != c.cachedSecond || c.cached.isEmpty()) {
        c.cached.clear();
        c.format.format(second * 1000, c.utc, c.cached);
        c.cachedSecond = second;
    }
    out.append(c.cached);
    return ValueKind::String;
}

// --- the table ------------------------------------------------------------------------------

struct Entry
{
    HelperInfo info;
    ValueKind kind;
    bool plain;
    RenderFunction render;
    Compile compile; ///< empty: takes no arguments
};

#define KWB_RENDER(body) [](const HelperCall &c, RenderState &s, TextBuffer &out) -> ValueKind { Q_UNUSED(c) Q_UNUSED(s) body }

const std::vector<Entry> &table()
{
    static const std::vector<Entry> entries = [] {
        std::vector<Entry> t;
        using L = QLatin1StringView;
        const auto add = [&t](const char *name, const char *arguments, const char *description, bool kdg, ValueKind kind,
                              bool plain, RenderFunction render, Compile compile = {}) {
            t.push_back(Entry{HelperInfo{L(name), L(arguments), L(description), kdg}, kind, plain, render, std::move(compile)});
        };
        // A count argument, kept in call.low; -1 means "1 to 3, chosen per value".
        // `unitBytes`: the most one counted unit (word, sentence, character) writes; `randomMax`:
        // the most units a count of -1 (chosen per value) gives.
        const auto count = [](const char *name, qint64 fallback, qint64 low = 0, qint64 unitBytes = 16,
                              qint64 randomMax = 10) -> Compile {
            return [=](HelperCall &call, const Args &args) -> Result<void> {
                auto n = optionalCount(QLatin1String(name), args, fallback, low);
                if (!n.ok())
                    return n.error();
                call.low = n.value();
                call.maxBytes = 32 + unitBytes * (call.low >= 0 ? call.low : randomMax);
                return {};
            };
        };

        // random.*
        add("random.number", "(max) | (min, max) | ({\"min\": A, \"max\": B, \"precision\": P})",
            "A random number from min (default 0) to max (default 99999), in steps of precision (default 1).", true,
            ValueKind::Number, true, renderNumber, [](HelperCall &c, const Args &a) {
                return numberRange(c, QStringLiteral("random.number"), a, 0, 99999, 1, true);
            });
        add("random.float", "(max) | (min, max) | ({\"min\": A, \"max\": B, \"precision\": P})",
            "Like random.number with precision 0.01 by default.", true, ValueKind::Number, true, renderNumber,
            [](HelperCall &c, const Args &a) { return numberRange(c, QStringLiteral("random.float"), a, 0, 99999, 0.01, true); });
        add("random.boolean", "", "true or false.", true, ValueKind::Boolean, true,
            KWB_RENDER(out.append(s.rng.next() >> 63 ? "true" : "false"); return ValueKind::Boolean;));
        add("random.uuid", "", "A random (version 4) UUID.", true, ValueKind::String, true,
            KWB_RENDER(appendUuid(out, s.rng); return ValueKind::String;));
        add("random.arrayElement", "([a, b, ...])", "One element of the array, each as likely; strings, numbers, or any JSON.",
            true, ValueKind::String, true, renderArrayElement, [](HelperCall &c, const Args &a) -> Result<void> {
                if (a.size() != 1 || !a[0].value.isArray())
                    return argError(QStringLiteral("random.arrayElement takes one array, e.g. ([\"OK\", \"WARN\", \"FAIL\"])"));
                return takeItems(c, QStringLiteral("random.arrayElement"), a[0].value.toArray());
            });
        add("random.weightedArrayElement", "({\"weights\": [w, ...], \"data\": [a, ...]})",
            "One element of data, chosen in proportion to its weight.", true, ValueKind::String, true, renderWeighted,
            [](HelperCall &c, const Args &a) -> Result<void> {
                const QString usage = QStringLiteral("random.weightedArrayElement takes ({\"weights\": [0.3, 0.7], \"data\": [\"a\", \"b\"]})");
                if (a.size() != 1 || !a[0].value.isObject())
                    return argError(usage);
                const QJsonObject o = a[0].value.toObject();
                if (!o.value(QLatin1String("weights")).isArray() || !o.value(QLatin1String("data")).isArray())
                    return argError(usage + QStringLiteral(": \"weights\" and \"data\" must both be arrays"));
                const QJsonArray weights = o.value(QLatin1String("weights")).toArray();
                const QJsonArray data = o.value(QLatin1String("data")).toArray();
                if (weights.size() != data.size())
                    return argError(QStringLiteral("random.weightedArrayElement: %1 weights for %2 data elements; give one weight per element")
                                        .arg(weights.size())
                                        .arg(data.size()));
                double sum = 0;
                for (const QJsonValue &w : weights) {
                    if (!w.isDouble() || w.toDouble() < 0 || !std::isfinite(w.toDouble()))
                        return argError(QStringLiteral("random.weightedArrayElement: weights must be numbers of 0 or more, not %1").arg(shown(w)));
                    sum += w.toDouble();
                    c.cumulative.push_back(sum);
                }
                if (sum <= 0)
                    return argError(QStringLiteral("random.weightedArrayElement: the weights add up to 0; give at least one above 0"));
                return takeItems(c, QStringLiteral("random.weightedArrayElement"), data);
            });
        add("random.word", "", "One word.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::lorem, s.rng)); return ValueKind::String;));
        add("random.words", "(count)", "count words (default 1 to 3), separated by spaces.", true, ValueKind::String, true,
            KWB_RENDER(appendWords(out, s.rng, c.low >= 0 ? c.low : s.rng.between(1, 3), words::lorem); return ValueKind::String;),
            count("random.words", -1, 0, 16, 3));
        add("random.alphaNumeric", "(count)", "count random characters from a-z and 0-9 (default 1).", true,
            ValueKind::String, true, KWB_RENDER(static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
                                                char buf[64];
                                                for (qint64 done = 0; done < c.low;) {
                                                    const qint64 n = std::min<qint64>(64, c.low - done);
                                                    for (qint64 i = 0; i < n; ++i) buf[i] = set[s.rng.below(36)];
                                                    out.append(buf, n);
                                                    done += n;
                                                }
                                                return ValueKind::String;),
            count("random.alphaNumeric", 1, 0, 1));
        add("random.hexaDecimal", "(count)", "0x and count random hex digits (default 1).", true, ValueKind::String, true,
            KWB_RENDER(out.append("0x"); for (qint64 i = 0; i < c.low; ++i) appendHex(out, s.rng.below(16), 1);
                       return ValueKind::String;),
            count("random.hexaDecimal", 1, 0, 1));

        // name.*
        add("name.firstName", "", "A given name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::firstNames, s.rng)); return ValueKind::String;));
        add("name.lastName", "", "A family name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::lastNames, s.rng)); return ValueKind::String;));
        add("name.findName", "", "A full name: given name and family name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::firstNames, s.rng)).append(' ').append(pick(words::lastNames, s.rng));
                       return ValueKind::String;));
        add("name.prefix", "", "Mr., Mrs., Ms., Miss or Dr.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::namePrefixes, s.rng)); return ValueKind::String;));
        add("name.suffix", "", "Jr., Sr., III, PhD ...", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::nameSuffixes, s.rng)); return ValueKind::String;));
        add("name.jobTitle", "", "A job title such as Senior Data Engineer.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::jobLevels, s.rng)).append(' ').append(pick(words::jobAreas, s.rng)).append(' ')
                           .append(pick(words::jobTypes, s.rng));
                       return ValueKind::String;));

        // internet.*
        add("internet.email", "", "An address at an example domain (example.com, example.org ...), never a real one.", true,
            ValueKind::String, true, KWB_RENDER(appendLower(out, pick(words::firstNames, s.rng)); out.append('.');
                                                appendLower(out, pick(words::lastNames, s.rng));
                                                appendInt(out, qint64(s.rng.below(100))); out.append('@');
                                                out.append(pick(words::freeEmailDomains, s.rng)); return ValueKind::String;));
        add("internet.exampleEmail", "", "Same as internet.email.", true, ValueKind::String, true,
            KWB_RENDER(appendLower(out, pick(words::firstNames, s.rng)); out.append('.');
                       appendLower(out, pick(words::lastNames, s.rng)); out.append("@example.com"); return ValueKind::String;));
        add("internet.userName", "", "A user name such as Ana.Silva42.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::firstNames, s.rng)); out.append(s.rng.next() >> 63 ? '.' : '_');
                       out.append(pick(words::lastNames, s.rng)); appendInt(out, qint64(s.rng.below(100)));
                       return ValueKind::String;));
        add("internet.domainWord", "", "One lower-case word of a domain name.", true, ValueKind::String, true,
            KWB_RENDER(appendLower(out, pick(words::lastNames, s.rng)); return ValueKind::String;));
        add("internet.domainName", "", "A domain name such as silva.io.", true, ValueKind::String, true,
            KWB_RENDER(appendLower(out, pick(words::lastNames, s.rng)); out.append('.');
                       out.append(pick(words::domainSuffixes, s.rng)); return ValueKind::String;));
        add("internet.url", "", "https:// and a domain name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(s.rng.next() >> 63 ? "https://" : "http://"); appendLower(out, pick(words::lastNames, s.rng));
                       out.append('.'); out.append(pick(words::domainSuffixes, s.rng)); return ValueKind::String;));
        add("internet.protocol", "", "http or https.", true, ValueKind::String, true,
            KWB_RENDER(out.append(s.rng.next() >> 63 ? "https" : "http"); return ValueKind::String;));
        add("internet.ip", "", "An IPv4 address.", true, ValueKind::String, true,
            KWB_RENDER(const quint64 r = s.rng.next(); for (int i = 0; i < 4; ++i) {
                if (i > 0) out.append('.');
                appendInt(out, qint64((r >> (8 * i)) & 0xff));
            } return ValueKind::String;));
        add("internet.ipv6", "", "An IPv6 address (eight groups of four hex digits).", true, ValueKind::String, true,
            KWB_RENDER(const quint64 a = s.rng.next(); const quint64 b = s.rng.next(); for (int i = 0; i < 8; ++i) {
                if (i > 0) out.append(':');
                appendHex(out, ((i < 4 ? a : b) >> (16 * (i % 4))) & 0xffff, 4);
            } return ValueKind::String;));
        add("internet.mac", "", "A MAC address (six hex pairs joined by colons).", true, ValueKind::String, true,
            KWB_RENDER(const quint64 r = s.rng.next(); for (int i = 0; i < 6; ++i) {
                if (i > 0) out.append(':');
                appendHex(out, (r >> (8 * i)) & 0xff, 2);
            } return ValueKind::String;));
        add("internet.port", "", "A port number from 0 to 65535.", false, ValueKind::Number, true,
            KWB_RENDER(appendInt(out, qint64(s.rng.below(65536))); return ValueKind::Number;));
        add("internet.userAgent", "", "A browser's User-Agent string.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::userAgents, s.rng)); return ValueKind::String;));
        add("internet.color", "", "A colour as #rrggbb.", true, ValueKind::String, true,
            KWB_RENDER(out.append('#'); appendHex(out, s.rng.below(1 << 24), 6); return ValueKind::String;));
        add("internet.httpMethod", "", "GET, POST, PUT, DELETE or PATCH.", false, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::httpMethods, s.rng)); return ValueKind::String;));

        // address.*
        add("address.city", "", "A city name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::cities, s.rng)); return ValueKind::String;));
        add("address.state", "", "A US state.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::states, s.rng)); return ValueKind::String;));
        add("address.stateAbbr", "", "A US state's two-letter code.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::stateAbbreviations, s.rng)); return ValueKind::String;));
        add("address.country", "", "A country name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::countries, s.rng)); return ValueKind::String;));
        add("address.countryCode", "", "An ISO 3166-1 alpha-2 country code.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::countryCodes, s.rng)); return ValueKind::String;));
        add("address.streetName", "", "A street name such as Maple Avenue.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::streetNames, s.rng)).append(' ').append(pick(words::streetSuffixes, s.rng));
                       return ValueKind::String;));
        add("address.streetAddress", "", "A house number and a street name.", true, ValueKind::String, true,
            KWB_RENDER(appendInt(out, s.rng.between(1, 9999)); out.append(' ').append(pick(words::streetNames, s.rng)).append(' ')
                           .append(pick(words::streetSuffixes, s.rng));
                       return ValueKind::String;));
        add("address.zipCode", "", "Five digits (a string: leading zeros stay).", true, ValueKind::String, true,
            KWB_RENDER(const qint64 z = s.rng.between(0, 99999); char buf[5];
                       qint64 v = z; for (int i = 4; i >= 0; --i) { buf[i] = char('0' + v % 10); v /= 10; }
                       out.append(buf, 5); return ValueKind::String;));
        add("address.latitude", "", "-90 to 90 with four decimals.", true, ValueKind::Number, true,
            KWB_RENDER(appendDecimal(out, s.rng.between(-900000, 900000), 4, false); return ValueKind::Number;));
        add("address.longitude", "", "-180 to 180 with four decimals.", true, ValueKind::Number, true,
            KWB_RENDER(appendDecimal(out, s.rng.between(-1800000, 1800000), 4, false); return ValueKind::Number;));

        // date.*
        const auto dateFormat = [](bool utc, const char *name) -> Compile {
            return [utc, name](HelperCall &c, const Args &a) -> Result<void> {
                c.utc = utc;
                if (a.empty())
                    return {};
                if (a.size() != 1 || !a[0].value.isString())
                    return argError(QStringLiteral("%1 takes one format string in moment.js tokens, e.g. (\"YYYY-MM-DD HH:mm:ss\")")
                                        .arg(QLatin1String(name)));
                c.format = MomentFormat(a[0].value.toString());
                c.maxBytes = 64 + 10 * a[0].value.toString().toUtf8().size();
                TextBuffer sample;
                c.format.format(0, true, sample);
                for (char ch : sample.view())
                    if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20)
                        c.plain = false;
                return {};
            };
        };
        add("date.now", "(\"format\")",
            "The record's time in the local time zone, in moment.js format tokens (default 2024-03-05T10:11:12+01:00).", true,
            ValueKind::String, true, renderDate, dateFormat(false, "date.now"));
        add("date.utc", "(\"format\")", "Like date.now in UTC (default 2024-03-05T09:11:12Z).", true, ValueKind::String, true,
            renderDate, dateFormat(true, "date.utc"));
        add("date.simTime", "(\"format\")", "Same as date.utc: kwb has no separate simulated clock (see --start-time).",
            true, ValueKind::String, true, renderDate, dateFormat(true, "date.simTime"));
        add("date.past", "(years)", "A time within the past years (default 1), ISO 8601 UTC.", true, ValueKind::String, true,
            KWB_RENDER(appendIso(out, s.epochMs - qint64(s.rng.below(quint64(c.low * 365 * kDayMs)) + 1)); return ValueKind::String;),
            count("date.past", 1, 1, 0));
        add("date.future", "(years)", "A time within the next years (default 1), ISO 8601 UTC.", true, ValueKind::String, true,
            KWB_RENDER(appendIso(out, s.epochMs + qint64(s.rng.below(quint64(c.low * 365 * kDayMs)) + 1)); return ValueKind::String;),
            count("date.future", 1, 1, 0));
        add("date.recent", "(days)", "A time within the past days (default 1), ISO 8601 UTC.", true, ValueKind::String, true,
            KWB_RENDER(appendIso(out, s.epochMs - qint64(s.rng.below(quint64(c.low * kDayMs)))); return ValueKind::String;),
            count("date.recent", 1, 1, 0));
        add("date.soon", "(days)", "A time within the next days (default 1), ISO 8601 UTC.", true, ValueKind::String, true,
            KWB_RENDER(appendIso(out, s.epochMs + qint64(s.rng.below(quint64(c.low * kDayMs)))); return ValueKind::String;),
            count("date.soon", 1, 1, 0));
        add("date.month", "", "A month name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::monthNames, s.rng)); return ValueKind::String;));
        add("date.weekday", "", "A weekday name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::weekdayNames, s.rng)); return ValueKind::String;));

        // lorem.*
        add("lorem.word", "", "One lorem ipsum word.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::lorem, s.rng)); return ValueKind::String;));
        add("lorem.words", "(count)", "count words (default 3).", true, ValueKind::String, true,
            KWB_RENDER(appendWords(out, s.rng, c.low, words::lorem); return ValueKind::String;), count("lorem.words", 3));
        add("lorem.slug", "(count)", "count words joined by hyphens (default 3).", true, ValueKind::String, true,
            KWB_RENDER(for (qint64 i = 0; i < c.low; ++i) {
                if (i > 0) out.append('-');
                out.append(pick(words::lorem, s.rng));
            } return ValueKind::String;),
            count("lorem.slug", 3));
        add("lorem.sentence", "(words)", "A sentence of that many words (default 3 to 10).", true, ValueKind::String, true,
            KWB_RENDER(appendSentence(out, s.rng, c.low >= 0 ? c.low : s.rng.between(3, 10)); return ValueKind::String;),
            count("lorem.sentence", -1, 1, 16, 10));
        add("lorem.sentences", "(count)", "count sentences (default 2 to 6).", true, ValueKind::String, true,
            KWB_RENDER(const qint64 n = c.low >= 0 ? c.low : s.rng.between(2, 6); for (qint64 i = 0; i < n; ++i) {
                if (i > 0) out.append(' ');
                appendSentence(out, s.rng, s.rng.between(3, 10));
            } return ValueKind::String;),
            count("lorem.sentences", -1, 1, 170, 6));
        add("lorem.paragraph", "(sentences)", "A paragraph of that many sentences (default 3).", true, ValueKind::String,
            true, KWB_RENDER(for (qint64 i = 0; i < c.low; ++i) {
                if (i > 0) out.append(' ');
                appendSentence(out, s.rng, s.rng.between(3, 10));
            } return ValueKind::String;),
            count("lorem.paragraph", 3, 1, 170));

        // commerce.* and company.*
        add("commerce.productName", "", "A product name such as Rustic Steel Chair.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::productAdjectives, s.rng)).append(' ').append(pick(words::productMaterials, s.rng))
                           .append(' ').append(pick(words::products, s.rng));
                       return ValueKind::String;));
        add("commerce.product", "", "A product such as Chair.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::products, s.rng)); return ValueKind::String;));
        add("commerce.productAdjective", "", "An adjective such as Rustic.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::productAdjectives, s.rng)); return ValueKind::String;));
        add("commerce.productMaterial", "", "A material such as Steel.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::productMaterials, s.rng)); return ValueKind::String;));
        add("commerce.department", "", "A shop department such as Garden.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::departments, s.rng)); return ValueKind::String;));
        add("commerce.color", "", "A colour name.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::colors, s.rng)); return ValueKind::String;));
        add("commerce.price", "(min, max)", "A price from min (default 1) to max (default 1000) with two decimals.", true,
            ValueKind::Number, true, renderNumber, [](HelperCall &c, const Args &a) -> Result<void> {
                if (a.size() == 1)
                    return argError(QStringLiteral("commerce.price takes (min, max), e.g. (5, 250)"));
                return numberRange(c, QStringLiteral("commerce.price"), a, 1, 1000, 0.01, false);
            });
        add("company.companyName", "", "A company name such as Silva and Sons.", true, ValueKind::String, true,
            KWB_RENDER(out.append(pick(words::lastNames, s.rng)).append(' ').append(pick(words::companySuffixes, s.rng));
                       return ValueKind::String;));

        // current.*: the run itself.
        add("current.sequence", "", "The record's index in the run: 0, 1, 2 ...", false, ValueKind::Number, true,
            KWB_RENDER(appendInt(out, s.index); return ValueKind::Number;));
        add("current.timestamp", "", "The record's time in milliseconds since 1970 (UTC).", false, ValueKind::Number, true,
            KWB_RENDER(appendInt(out, s.epochMs); return ValueKind::Number;));
        add("current.elapsed", "", "Milliseconds since the run started.", false, ValueKind::Number, true,
            KWB_RENDER(appendInt(out, s.elapsedMs); return ValueKind::Number;));
        add("current.runId", "", "One UUID for the whole run (from the seed when one is given).", false, ValueKind::String,
            true, KWB_RENDER(out.append(s.runId); return ValueKind::String;));
        return t;
    }();
    return entries;
}

int distance(const QString &a, const QString &b)
{
    std::vector<int> row(size_t(b.size()) + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int up = row[size_t(j)];
            row[size_t(j)] = std::min({row[size_t(j)] + 1, row[size_t(j - 1)] + 1,
                                       diagonal + (a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1)});
            diagonal = up;
        }
    }
    return row.back();
}

} // namespace

const std::vector<HelperInfo> &all()
{
    static const std::vector<HelperInfo> infos = [] {
        std::vector<HelperInfo> v;
        for (const Entry &e : table())
            v.push_back(e.info);
        return v;
    }();
    return infos;
}

Result<HelperCall> compile(const QString &name, const std::vector<HelperArg> &args, bool *unknown)
{
    if (unknown)
        *unknown = false;
    for (const Entry &e : table()) {
        if (e.info.name != name)
            continue;
        HelperCall call;
        call.render = e.render;
        call.kind = e.kind;
        call.plain = e.plain;
        if (e.compile) {
            if (auto done = e.compile(call, args); !done.ok())
                return done.error();
        } else if (auto none = noArgs(name, args); !none.ok()) {
            return none.error();
        }
        return call;
    }
    if (unknown)
        *unknown = true;
    const QString near = nearest(name);
    return argError(near.isEmpty() ? QStringLiteral("unknown helper '%1' (kwb generate --list-helpers shows them all)").arg(name)
                                   : QStringLiteral("unknown helper '%1'; did you mean '%2'?").arg(name, near));
}

QString nearest(const QString &name)
{
    QString best;
    int bestDistance = 4;
    for (const Entry &e : table()) {
        const QString candidate = QString(e.info.name);
        // The distance is at least the difference in length: a name far longer or shorter than
        // every helper (as a typo rarely is) costs no comparison.
        if (std::abs(name.size() - candidate.size()) >= bestDistance)
            continue;
        const int d = distance(name, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best;
}

void appendJsonEscaped(TextBuffer &out, QByteArrayView utf8)
{
    kwb::appendJsonEscaped(out, utf8);
}

} // namespace kwb::generate::helpers
