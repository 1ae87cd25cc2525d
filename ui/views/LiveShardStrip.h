#pragma once

#include <QStringList>
#include <QWidget>

namespace kwb::ui {

/// The live view's strip of shards: one chip per shard of the stream, filled while it is being read, hatched
/// once it closed and was read to its end, outlined when it is not read (not chosen). Each chip names its
/// shard by number; the tooltip gives the full id. GUI thread.
class LiveShardStrip : public QWidget
{
    Q_OBJECT
public:
    enum class State { NotRead, Reading, Finished };

    explicit LiveShardStrip(QWidget *parent = nullptr);

    /// `known`: the stream's shards in order (more may be added by reading and finishing).
    void setShards(const QStringList &known, const QStringList &reading, const QStringList &finished);
    QStringList shards() const { return m_ids; }
    State state(const QString &shardId) const;
    /// "3" for shardId-000000000003; the id itself when it has no number at its end.
    static QString shortName(const QString &shardId);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QRect chipRect(int index) const;
    int chipWidth() const;

    QStringList m_ids;
    QList<State> m_states;
};

} // namespace kwb::ui
