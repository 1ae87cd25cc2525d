#pragma once

#include "ShardMap.h"
#include "generate/RateSchedule.h"
#include "generate/RecordGenerator.h"
#include "send/FlowController.h"
#include "workspace/SavedGenerator.h"

#include <QWidget>

#include <functional>
#include <optional>
#include <vector>

class QComboBox;
class QPushButton;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableWidget;
class QTimer;

namespace kwb::ui {

class GenerateCharts;
class GenerateController;
class RateControls;
class TemplateHighlighter;

/// The Generate dock's templates: the data template, the partition key template and an optional
/// explicit hash key template, each with its {{...}} placeholders coloured, a sample picker (the
/// shipped samples) and the seed. As the user types (debounced), the templates are parsed; an
/// error is underlined in place and told with its line:column, otherwise the next ten records are
/// previewed with their keys and the shards they would land on in the current shard map.
/// Below, the run (RateControls): records per second (or per shard per second), a ramp, bursts,
/// a count, a duration or until stopped, and the rows the table keeps; the load forecast for the
/// peak rate on the shard map (said before starting when a shard would be asked for more than it
/// takes, and how a burst lands); start, pause and stop; live counters and charts. Everything
/// but the preview is saved with the workspace (saved() / restore()).
/// GUI thread.
class GeneratePanel : public QWidget
{
    Q_OBJECT
public:
    explicit GeneratePanel(QWidget *parent = nullptr);

    /// The map the preview predicts shards with (the stream's, or the virtual one).
    void setShardMap(const ShardMap &map, const QString &stream);
    const ShardMap &shardMap() const { return m_map; }

    void setTemplates(const generate::GeneratorTemplates &templates);
    generate::GeneratorTemplates templates() const;
    void setSeed(quint64 seed);
    /// The seed typed; nullopt when the field does not hold a number.
    std::optional<quint64> seed() const;
    /// Loads a shipped sample by its file name without extension ("clickstream").
    bool loadSample(const QString &name);
    static QStringList sampleNames();

    /// A generator for these templates and seed, or the error (with where, line and column).
    Result<generate::RecordGenerator> generator() const;

    /// Parses and previews now instead of after the typing pause.
    void refreshNow();
    /// The error shown, empty when the templates are good.
    QString errorText() const { return m_errorText; }
    const std::vector<generate::GeneratedRecord> &previewRecords() const { return m_preview; }
    /// The predicted shard id of each previewed record.
    const QStringList &previewShards() const { return m_previewShards; }
    /// Test hook: the clock the preview's records are stamped with (ms since 1970).
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    /// Writes the data template to `path` as `kwb generate` reads it, and the key and explicit
    /// hash key templates next to it (PATH without its extension + .key / .ehk), as the shipped
    /// samples are; a file for an empty template is removed.
    Result<void> exportTemplates(const QString &path) const;
    /// Reads templates written so (or a KDG template alone); errors name the file.
    Result<void> importTemplates(const QString &path);
    static constexpr qint64 kMaxTemplateBytes = 1024 * 1024;

    /// The run controller the Start button drives (not owned).
    void setController(GenerateController *controller);
    /// The schedule the run controls ask for (the rate for the current shard map); bursts that do
    /// not parse are left out (startRun() refuses them).
    generate::RateSchedule schedule() const;
    /// The templates, seed and run settings, as the workspace keeps them.
    workspace::SavedGenerator saved() const;
    /// Without saved settings (a file written before them), the dock stays as it is.
    void restore(const std::optional<workspace::SavedGenerator> &saved);
    GenerateCharts *charts() const { return m_charts; }
    /// Starts a run with the current templates, seed and run controls; false (with the reason
    /// shown) when it cannot.
    bool startRun();
    /// The forecast shown for the chosen rate, and whether it is over a shard's limit.
    QString forecastText() const;
    bool forecastOverLimit() const { return m_overLimit; }
    QString countersText() const;

    static constexpr int kPreviewRows = 10;
    static constexpr int kForecastSample = 1000;
    static constexpr int kDebounceMs = 300;

Q_SIGNALS:
    /// The templates or the seed changed and were parsed (good or not).
    void templatesChanged();

private:
    void scheduleRefresh();
    void showError(const QString &message, TemplateHighlighter *where);
    void fillPreview();
    QWidget *makeRunControls();
    void updateForecast();
    QString burstForecast(double busiestShare, const send::ShardLimits &limits) const;
    void updateRunButtons();

    ShardMap m_map;
    QString m_stream;
    QComboBox *m_sample = nullptr;
    QPlainTextEdit *m_data = nullptr;
    QPlainTextEdit *m_key = nullptr;
    QPlainTextEdit *m_ehk = nullptr;
    QLineEdit *m_seed = nullptr;
    TemplateHighlighter *m_dataHighlighter = nullptr;
    TemplateHighlighter *m_keyHighlighter = nullptr;
    TemplateHighlighter *m_ehkHighlighter = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_mapLabel = nullptr;
    QTableWidget *m_table = nullptr;
    QTimer *m_debounce = nullptr;
    QString m_errorText;
    std::vector<generate::GeneratedRecord> m_preview;
    QStringList m_previewShards;
    std::function<qint64()> m_clock;
    bool m_loadingSample = false;

    GenerateController *m_controller = nullptr;
    RateControls *m_rateControls = nullptr;
    GenerateCharts *m_charts = nullptr;
    QLabel *m_forecast = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_counters = nullptr;
    bool m_overLimit = false;
};

} // namespace kwb::ui
