#pragma once

#include "HashKey.h"
#include "ShardMap.h"

#include <QDialog>

#include <vector>

class QComboBox;
class QLabel;
class QListWidget;

namespace kwb::ui {

/// Picks an explicit hash key inside a chosen shard's range (its middle, start or end), to
/// route a record to that shard whatever its partition key. Opened with open(), never exec();
/// read chosenHashKey() after accepted(). GUI thread; parented to the editor panel.
class RouteToShardDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Position { Middle, Start, End };

    /// `recordsPerShard`: per open shard, for display (may be empty).
    RouteToShardDialog(const ShardMap &map, const std::vector<qint64> &recordsPerShard, int currentShard,
                       QWidget *parent = nullptr);

    UInt128 chosenHashKey() const;
    int chosenShard() const;
    void choose(int openShard, Position position);

    static UInt128 keyFor(const Shard &shard, Position position);

private:
    void updatePreview();

    ShardMap m_map;
    QListWidget *m_list = nullptr;
    QComboBox *m_position = nullptr;
    QLabel *m_preview = nullptr;
};

} // namespace kwb::ui
