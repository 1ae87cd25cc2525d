#include "generate/RecordGenerator.h"

#include "Record.h"

#include <random>

namespace kwb::generate {

Result<RecordGenerator> RecordGenerator::create(const GeneratorTemplates &templates, quint64 seed)
{
    RecordGenerator g;
    auto data = Template::parse(templates.data, templates.dataWhere);
    if (!data.ok())
        return data.error();
    g.m_data = std::move(data.value());
    g.m_defaultKey = templates.key.isEmpty();
    auto key = Template::parse(g.m_defaultKey ? QStringLiteral("{{random.uuid}}") : templates.key, QStringLiteral("--key"),
                               Template::Kind::Text);
    if (!key.ok())
        return key.error();
    g.m_key = std::move(key.value());
    if (!templates.explicitHashKey.isEmpty()) {
        auto ehk = Template::parse(templates.explicitHashKey, QStringLiteral("--ehk"), Template::Kind::Text);
        if (!ehk.ok())
            return ehk.error();
        g.m_ehk = std::move(ehk.value());
    }
    g.m_seed = seed;
    g.m_state.rng.reseed(seed);
    // The run id comes from its own sequence, so it does not shift the records' values.
    quint64 idState = seed ^ 0x6b77622d72756e31ULL;
    Rng idRng(Rng::splitmix64(idState));
    RenderState idRender;
    idRender.rng = idRng;
    auto uuid = Template::parse(QStringLiteral("{{random.uuid}}"), QString(), Template::Kind::Text);
    uuid.value().render(idRender, g.m_state.runId);
    return g;
}

quint64 RecordGenerator::randomSeed()
{
    std::random_device device;
    return (quint64(device()) << 32) ^ quint64(device());
}

Result<void> RecordGenerator::render(qint64 epochMs)
{
    if (m_startMs < 0)
        m_startMs = epochMs;
    m_state.epochMs = epochMs;
    m_state.elapsedMs = epochMs - m_startMs;
    m_dataBuffer.clear();
    m_keyBuffer.clear();
    m_data.render(m_state, m_dataBuffer);
    m_key.render(m_state, m_keyBuffer);
    const qint64 index = m_state.index++;
    if (!m_defaultKey) {
        qsizetype characters = 0;
        for (char c : m_keyBuffer.view())
            characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        if (characters == 0 || characters > limits::kMaxPartitionKeyChars)
            return Error::input(QStringLiteral("record %1: the --key template gave a partition key of %2 characters; a key "
                                               "has 1 to %3")
                                    .arg(index)
                                    .arg(characters)
                                    .arg(limits::kMaxPartitionKeyChars),
                                QStringLiteral("InvalidPartitionKey"));
    }
    m_scratch.explicitHashKey.reset();
    if (m_ehk) {
        m_ehkBuffer.clear();
        m_ehk->render(m_state, m_ehkBuffer);
        auto parsed = parseHashKey(m_ehkBuffer.view());
        if (!parsed.ok())
            return Error::input(QStringLiteral("record %1: the --ehk template gave '%2', not an explicit hash key: %3")
                                    .arg(index)
                                    .arg(QString::fromUtf8(m_ehkBuffer.view().first(std::min<qsizetype>(60, m_ehkBuffer.size()))), parsed.error().message),
                                QStringLiteral("InvalidExplicitHashKey"));
        m_scratch.explicitHashKey = parsed.value();
    }
    return {};
}

Result<void> RecordGenerator::next(qint64 epochMs, GeneratedRecord &out)
{
    if (auto made = render(epochMs); !made.ok())
        return made;
    m_dataBuffer.copyTo(out.data);
    m_keyBuffer.copyTo(out.partitionKey);
    out.explicitHashKey = m_scratch.explicitHashKey;
    return {};
}

Result<void> RecordGenerator::appendTo(RecordStore &store, qint64 epochMs)
{
    if (auto made = render(epochMs); !made.ok())
        return made;
    store.append(m_keyBuffer.view(), m_dataBuffer.view(), m_scratch.explicitHashKey);
    return {};
}

Result<std::vector<GeneratedRecord>> RecordGenerator::preview(int count, qint64 epochMs, qint64 maxBytes) const
{
    RecordGenerator copy = *this;
    std::vector<GeneratedRecord> records;
    qint64 bytes = 0;
    for (int i = 0; i < count && bytes < maxBytes; ++i) {
        GeneratedRecord record;
        if (auto made = copy.next(epochMs, record); !made.ok())
            return made.error();
        bytes += record.data.size() + record.partitionKey.size();
        records.push_back(std::move(record));
    }
    return records;
}

} // namespace kwb::generate
