#pragma once

#include <QWidget>

class QTableView;

namespace kwb::ui {

class RequestLogModel;

/// The request log dock: a table of the HTTP requests the log model keeps (preset column widths,
/// fixed row height), a line saying how many are kept and a Clear button. Follows new entries
/// while scrolled to the bottom. GUI thread; does not own the model.
class RequestLogPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RequestLogPanel(RequestLogModel *log, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }

private:
    RequestLogModel *m_log;
    QTableView *m_view;
};

} // namespace kwb::ui
