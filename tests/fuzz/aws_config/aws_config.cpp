// libFuzzer target: the AWS shared config and credentials file parser (core/aws/AwsConfigFile).
#include "FuzzSupport.h"
#include "aws/AwsConfigFile.h"

using kwb::aws::AwsConfigFile;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter in(data, size);
    const auto flavor = (in.byte() & 1) ? AwsConfigFile::Flavor::Credentials : AwsConfigFile::Flavor::Config;
    const QByteArray content = in.rest();
    auto parsed = AwsConfigFile::parse(content, QStringLiteral("fuzz-config"), flavor);
    if (!parsed.ok()) {
        // Every parse error points at the file (and line) it is about.
        KWB_FUZZ_CHECK(parsed.error().message.startsWith(QLatin1String("fuzz-config")));
        return 0;
    }
    const AwsConfigFile &file = parsed.value();
    for (const QString &name : file.profileNames()) {
        const auto *profile = file.profile(name);
        KWB_FUZZ_CHECK(profile != nullptr);
        for (auto it = profile->values.begin(); it != profile->values.end(); ++it) {
            KWB_FUZZ_CHECK(it.value().line >= 1);
            (void)file.value(name, it.key());
        }
    }
    for (const auto &section : file.sections())
        (void)file.section(section.kind, section.name);
    return 0;
}
