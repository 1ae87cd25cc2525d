#include "HashKey.h"
#include <QTest>
class TstShardMap : public QObject { Q_OBJECT private Q_SLOTS: void placeholder() { QCOMPARE(kwb::hashKeyToString(0), QStringLiteral("0")); } };
QTEST_GUILESS_MAIN(TstShardMap)
#include "tst_shardmap.moc"
