// kwb::returnFreedMemoryToTheSystem: after it, blocks the process frees leave its resident size
// (VmRSS from /proc, the kernel's count), even after the pattern that kept them resident before:
// a large block freed first, then many blocks of about an HTTP answer's size, one small block
// held above them. Each case runs in a child process of its own (fork), so that the setting of one
// does not reach the other; the first case shows that the pattern does keep memory resident
// without the setting, so the second one can fail.
#include "ProcessMemory.h"

#include <QFile>
#include <QTest>

#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define KWB_SANITIZED_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define KWB_SANITIZED_ALLOCATOR 1
#endif
#endif

namespace {

/// Keeps the compiler from eliding an allocation whose bytes nothing reads.
void keep(void *block)
{
    asm volatile("" : : "r"(block) : "memory");
}

long residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (QByteArray line = status.readLine(); !line.isEmpty(); line = status.readLine()) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

/// What the sandbox did with pipelined GetRecords answers: returns how many KiB stayed resident
/// after everything but one small block was freed again.
long residentAfterAnswers()
{
    const long before = residentKiB();
    void *large = std::malloc(4 * 1024 * 1024);
    std::memset(large, 1, 4 * 1024 * 1024);
    keep(large);
    std::free(large);
    std::vector<void *> answers;
    for (int i = 0; i < 40; ++i) {
        const size_t bytes = 1400 * 1024;
        void *answer = std::malloc(bytes);
        std::memset(answer, 2, bytes);
        keep(answer);
        answers.push_back(answer);
    }
    void *held = std::malloc(100 * 1024);
    std::memset(held, 3, 100 * 1024);
    keep(held);
    for (void *answer : answers)
        std::free(answer);
    const long after = residentKiB();
    std::free(held);
    return after - before;
}

/// Runs residentAfterAnswers() in a child process, with the setting or without it.
long inChild(bool withSetting)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        if (withSetting)
            kwb::returnFreedMemoryToTheSystem();
        const long grown = residentAfterAnswers();
        (void)!write(fds[1], &grown, sizeof grown);
        _exit(0);
    }
    close(fds[1]);
    long grown = -1;
    if (read(fds[0], &grown, sizeof grown) != sizeof grown)
        grown = -1;
    close(fds[0]);
    int status = 0;
    waitpid(child, &status, 0);
    return grown;
}

} // namespace

class TestProcessMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
#if defined(KWB_SANITIZED_ALLOCATOR)
        QSKIP("a sanitizer's allocator keeps freed memory in quarantine: resident sizes say nothing here");
#endif
#if !defined(__GLIBC__)
        QSKIP("the setting is glibc's; other C libraries are left as they are");
#endif
        QVERIFY(residentKiB() > 0);
    }

    void withoutItFreedAnswersStayResident()
    {
        const long grown = inChild(false);
        QVERIFY2(grown > 40 * 1024, qPrintable(QStringLiteral("%1 KiB stayed resident").arg(grown)));
    }

    void withItFreedAnswersLeave()
    {
        const long grown = inChild(true);
        QVERIFY2(grown >= 0 && grown < 4 * 1024, qPrintable(QStringLiteral("%1 KiB stayed resident").arg(grown)));
    }
};

QTEST_GUILESS_MAIN(TestProcessMemory)
#include "tst_processmemory.moc"
