// libFuzzer target: the HTTP/1.x answer reader of kwb's own client (net::HttpAnswerReader, what
// net::PlainHttpClient reads sandbox and emulator answers with). The same bytes are fed whole,
// then in pieces whose sizes the input chooses: the two reads must agree on the state, status,
// headers, body, keep-alive and error. A finished answer stays within the reader's bounds.
//
// Input: a choice byte (piece size 1-16, or whole pieces when 0; whether the peer closes after
// the bytes), then the bytes of the connection.
#include "FuzzSupport.h"
#include "net/HttpAnswerReader.h"

using namespace kwb;
using net::HttpAnswerReader;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    kwb::fuzz::silenceQtLogging();
    return 0;
}

namespace {

HttpAnswerReader::State read(HttpAnswerReader &reader, QByteArrayView bytes, qsizetype piece, bool close)
{
    HttpAnswerReader::State state = HttpAnswerReader::State::NeedMore;
    if (piece <= 0) {
        state = reader.feed(bytes);
    } else {
        for (qsizetype at = 0; at < bytes.size() && state == HttpAnswerReader::State::NeedMore; at += piece)
            state = reader.feed(bytes.sliced(at, std::min(piece, bytes.size() - at)));
    }
    if (close && state == HttpAnswerReader::State::NeedMore)
        state = reader.closed();
    return state;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kwb::fuzz::InputSplitter input(data, size);
    const quint8 choice = input.byte();
    const qsizetype piece = choice & 0x0f;
    const bool close = (choice & 0x10) != 0;
    const QByteArrayView bytes = input.restView();

    HttpAnswerReader whole;
    HttpAnswerReader pieces;
    const auto a = read(whole, bytes, 0, close);
    const auto b = read(pieces, bytes, piece, close);
    KWB_FUZZ_CHECK(a == b);
    KWB_FUZZ_CHECK(whole.error() == pieces.error());
    KWB_FUZZ_CHECK((a == HttpAnswerReader::State::Failed) == !whole.error().isEmpty());
    if (a == HttpAnswerReader::State::Done) {
        KWB_FUZZ_CHECK(whole.status() == pieces.status());
        KWB_FUZZ_CHECK(whole.status() >= 200 && whole.status() <= 999);
        KWB_FUZZ_CHECK(whole.headers() == pieces.headers());
        KWB_FUZZ_CHECK(whole.body() == pieces.body());
        KWB_FUZZ_CHECK(whole.keepAlive() == pieces.keepAlive());
        KWB_FUZZ_CHECK(whole.body().size() <= HttpAnswerReader::kMaxBodyBytes);
        KWB_FUZZ_CHECK(whole.body().size() <= bytes.size());
        // Fed in pieces, the reader stops at the piece that ends the answer: what came after it
        // in that piece is kept, the rest was never fed.
        KWB_FUZZ_CHECK(pieces.leftover().size() <= whole.leftover().size());
    }
    return 0;
}
