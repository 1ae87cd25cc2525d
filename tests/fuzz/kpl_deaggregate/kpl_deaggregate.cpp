// libFuzzer target: the KPL de-aggregator (core/kpl/Deaggregator) and the reader of files of
// Kinesis records (core/kpl/KinesisRecordsFile). Broken input must give an error, never a crash
// and never user records that point outside the record.
//
// Input: a choice byte, then the record. Choice bits: 0x01 puts the right MD5 at the end (so
// the protobuf parser is reached past the digest check), 0x02 puts the magic in front, 0x04
// also reads the input as a file of records.
#include "FuzzSupport.h"
#include "kpl/Aggregator.h"
#include "kpl/Deaggregator.h"
#include "kpl/KinesisRecordsFile.h"
#include "kpl/KplFormat.h"

#include <cstring>

using namespace kwb;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter in(data, size);
    const quint8 choice = in.byte();
    QByteArray record = in.rest();
    if (choice & 0x02)
        record.prepend(reinterpret_cast<const char *>(kpl::format::kMagic), kpl::format::kMagicBytes);
    if ((choice & 0x01) && record.size() >= kpl::format::kOverheadBytes) {
        const qsizetype protoBytes = record.size() - kpl::format::kOverheadBytes;
        const Md5Digest digest = md5(QByteArrayView(record).sliced(kpl::format::kMagicBytes, protoBytes));
        std::memcpy(record.data() + record.size() - kpl::format::kDigestBytes, digest.data(), digest.size());
    }

    auto unpacked = kpl::Deaggregator::unpack(record);
    if (unpacked.ok()) {
        KWB_FUZZ_CHECK(kpl::Deaggregator::isAggregated(record));
        const char *begin = record.constData() + kpl::format::kMagicBytes;
        const char *end = record.constData() + record.size() - kpl::format::kDigestBytes;
        const auto inside = [&](QByteArrayView v) { return v.isEmpty() || (v.data() >= begin && v.data() + v.size() <= end); };
        RecordStore store;
        std::vector<int> rows;
        const auto &users = unpacked.value();
        for (size_t i = 0; i < users.size(); ++i) {
            KWB_FUZZ_CHECK(users[i].subSequenceNumber == int(i));
            KWB_FUZZ_CHECK(inside(users[i].partitionKey) && inside(users[i].data) && inside(users[i].explicitHashKey));
            rows.push_back(store.append(users[i].partitionKey, users[i].data));
        }
        // What was read, written again, reads back the same.
        if (!rows.empty()) {
            const QByteArray again = kpl::Aggregator::encode(store, rows);
            auto reread = kpl::Deaggregator::unpack(again);
            KWB_FUZZ_CHECK(reread.ok() && reread.value().size() == users.size());
            for (size_t i = 0; i < users.size(); ++i) {
                KWB_FUZZ_CHECK(reread.value()[i].partitionKey == users[i].partitionKey);
                KWB_FUZZ_CHECK(reread.value()[i].data == users[i].data);
            }
        }
    } else {
        KWB_FUZZ_CHECK(!unpacked.error().message.isEmpty());
    }

    if (choice & 0x04) {
        auto file = kpl::KinesisRecordsFile::read(record, kpl::KinesisRecordsFile::Format::Auto, QStringLiteral("fuzz"));
        if (file.ok())
            for (const auto &r : file.value())
                KWB_FUZZ_CHECK(r.error.isEmpty() || r.data.isEmpty());
    }
    return 0;
}
