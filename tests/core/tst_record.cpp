#include "HashKey.h"
#include <QTest>
class TstRecord : public QObject { Q_OBJECT private Q_SLOTS: void placeholder() { QCOMPARE(kwb::hashKeyToString(0), QStringLiteral("0")); } };
QTEST_GUILESS_MAIN(TstRecord)
#include "tst_record.moc"
