#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace kwb::ui {

/// A message strip at the top of the window for problems that concern the whole window
/// (credentials, connection, a failed export); row problems are shown in the rows. An icon and
/// words say what kind it is, optionally with one action button. GUI thread.
class Banner : public QFrame
{
    Q_OBJECT
public:
    enum class Kind { Info, Warning, Error };

    explicit Banner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text, const QString &actionText = {}, std::function<void()> action = {});
    void clear();
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    Kind m_kind = Kind::Info;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_action = nullptr;
    QToolButton *m_close = nullptr;
    std::function<void()> m_callback;
};

} // namespace kwb::ui
