#pragma once

#include "ShardMap.h"
#include "net/KinesisClient.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QTimer;
class QToolButton;

namespace kwb::ui {

class LiveRecordsModel;
class LiveShardStrip;
class LiveStreamController;
class SentRecordIndex;

/// The Live stream dock: reads the current stream as it is written (LiveStreamController, on a worker thread)
/// into a bounded table (LiveRecordsModel), with where to start, which shards, pause/resume, clear, a filter,
/// a strip of the shards being read and the selected record's data as text, JSON, hex or base64. Records this
/// workspace sent are linked to their rows. GUI thread.
class LiveStreamPanel : public QWidget
{
    Q_OBJECT
public:
    /// How often the reading's credentials are compared with the connection's (renewed ones).
    static constexpr int kCredentialsCheckMs = 5000;

    explicit LiveStreamPanel(QWidget *parent = nullptr);
    ~LiveStreamPanel() override;

    /// The connection to read with (its endpoint and credentials; the reading uses a client of its own).
    /// Null: nothing to read; reading stops.
    void setClient(net::KinesisClient *client);
    /// The stream to read; reading stops when it changes.
    void setStream(const QString &stream);
    /// The stream's shards, for the shard choice and the strip.
    void setShardMap(const ShardMap &map);
    void setSentIndex(SentRecordIndex *index);

    /// Starts reading with the choices made in the panel; false (and a message in the panel) when there is
    /// nothing to read or a choice is wrong.
    bool startReading();
    void stopReading();
    void setPaused(bool paused);
    void clear();

    /// Gives the reading the connection's credentials when they were renewed (a timer does it every
    /// kCredentialsCheckMs while reading).
    void followCredentials();
    /// Selects the live record that the workspace row sent, if it is shown; returns whether.
    bool showSentRow(int workspaceRow);

    LiveRecordsModel *model() const { return m_model; }
    LiveStreamController *controller() const { return m_controller; }
    LiveShardStrip *strip() const { return m_strip; }
    QTableView *table() const { return m_table; }
    QString message() const;

Q_SIGNALS:
    /// The selected live record was sent by this workspace row.
    void sentRowSelected(int workspaceRow);

private:
    void buildUi();
    void updateControls();
    void updateStatus();
    void updateStrip();
    void updateDetail();
    void showMessage(const QString &text, bool error);
    QStringList chosenShards() const;

    LiveRecordsModel *m_model;
    LiveStreamController *m_controller;
    QPointer<net::KinesisClient> m_client;
    SentRecordIndex *m_sentIndex = nullptr;
    QString m_stream;
    ShardMap m_map;
    bool m_selecting = false;
    QTimer *m_credentialsCheck = nullptr;
    aws::Credentials m_readingCredentials; ///< what the reading's client was given

    QComboBox *m_from = nullptr;
    QLineEdit *m_fromValue = nullptr;
    QToolButton *m_shards = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_clear = nullptr;
    QSpinBox *m_capacity = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_message = nullptr;
    LiveShardStrip *m_strip = nullptr;
    QTableView *m_table = nullptr;
    QComboBox *m_dataView = nullptr;
    QPlainTextEdit *m_data = nullptr;
};

} // namespace kwb::ui
