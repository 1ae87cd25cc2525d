#include "ImportOptions.h"

#include <array>
#include <utility>

namespace kwb::import {

namespace {

template<typename E, size_t N>
QString nameOf(const std::array<std::pair<E, const char *>, N> &names, E value)
{
    for (const auto &[v, name] : names)
        if (v == value)
            return QString::fromLatin1(name);
    return {};
}

template<typename E, size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, const char *>, N> &names, QStringView name)
{
    for (const auto &[v, n] : names)
        if (name.compare(QLatin1String(n), Qt::CaseInsensitive) == 0)
            return v;
    return std::nullopt;
}

constexpr std::array<std::pair<Format, const char *>, 13> kFormats{{
    {Format::Auto, "auto"},
    {Format::JsonLines, "jsonl"},
    {Format::JsonArray, "json"},
    {Format::JsonObject, "json-object"},
    {Format::AwsCli, "awscli"},
    {Format::Csv, "csv"},
    {Format::Tsv, "tsv"},
    {Format::Text, "text"},
    {Format::RawFile, "file"},
    {Format::KplRecords, "kpl"},
    // accepted when parsing only
    {Format::JsonLines, "ndjson"},
    {Format::Text, "txt"},
    {Format::RawFile, "raw"},
}};

constexpr std::array<std::pair<JsonShape, const char *>, 3> kShapes{{
    {JsonShape::Auto, "auto"},
    {JsonShape::Records, "records"},
    {JsonShape::Objects, "objects"},
}};

constexpr std::array<std::pair<DataEncoding, const char *>, 6> kEncodings{{
    {DataEncoding::Auto, "auto"},
    {DataEncoding::Text, "utf8"},
    {DataEncoding::Base64, "base64"},
    {DataEncoding::Hex, "hex"},
    {DataEncoding::Text, "text"},
    {DataEncoding::Text, "utf-8"},
}};

constexpr std::array<std::pair<KeyStrategy, const char *>, 10> kStrategies{{
    {KeyStrategy::Auto, "auto"},
    {KeyStrategy::Field, "field"},
    {KeyStrategy::Constant, "constant"},
    {KeyStrategy::Uuid, "uuid"},
    {KeyStrategy::RowNumber, "row"},
    {KeyStrategy::Random, "random"},
    {KeyStrategy::FileName, "filename"},
    {KeyStrategy::RowNumber, "index"},
    {KeyStrategy::RowNumber, "row-number"},
    {KeyStrategy::FileName, "file-name"},
}};

} // namespace

QString formatName(Format format) { return nameOf(kFormats, format); }
std::optional<Format> parseFormat(QStringView name) { return valueOf(kFormats, name); }
QString jsonShapeName(JsonShape shape) { return nameOf(kShapes, shape); }
std::optional<JsonShape> parseJsonShape(QStringView name) { return valueOf(kShapes, name); }
QString dataEncodingName(DataEncoding encoding) { return nameOf(kEncodings, encoding); }
std::optional<DataEncoding> parseDataEncoding(QStringView name) { return valueOf(kEncodings, name); }
QString keyStrategyName(KeyStrategy strategy) { return nameOf(kStrategies, strategy); }
std::optional<KeyStrategy> parseKeyStrategy(QStringView name) { return valueOf(kStrategies, name); }

ColumnMapping ImportOptions::columnMapping() const
{
    ColumnMapping mapping = columns;
    if (mapping.data.isEmpty())
        mapping.data = dataField;
    if (mapping.explicitHashKey.isEmpty() && !mapping.noExplicitHashKey)
        mapping.explicitHashKey = explicitHashKeyField;
    return mapping;
}

} // namespace kwb::import
