#include "dialogs/Confirmation.h"

#include <QMessageBox>

namespace kwb::ui {

void Confirmation::ask(QWidget *parent, const QString &what, std::function<void()> proceed)
{
    auto *box = new QMessageBox(QMessageBox::Warning, parent->windowTitle(), what, QMessageBox::Yes | QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("confirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    QObject::connect(box, &QMessageBox::finished, box, [box, proceed = std::move(proceed)] {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            proceed();
    });
    box->open();
}

} // namespace kwb::ui
