#pragma once

#include <QComboBox>

namespace kwb::ui {

/// A combo box that elides its current text when it is narrower than the text (the list shows
/// every item whole); its tooltip then starts with the whole text. ElideMiddle keeps both ends,
/// so a shard id keeps its number and an error code its count. GUI thread.
class ElidingComboBox : public QComboBox
{
public:
    explicit ElidingComboBox(Qt::TextElideMode mode, QWidget *parent = nullptr);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    QString shownText() const;

    Qt::TextElideMode m_mode;
};

} // namespace kwb::ui
