// SPDX-License-Identifier: MIT
#include "elidedlabel.h"

#include <QResizeEvent>

namespace epsinas::gui {

namespace {
// Narrowest an elided label gets: room for a few characters and the ellipsis.
constexpr int kMinimumCharacters = 6;
} // namespace

ElidedLabel::ElidedLabel(QWidget* parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ElidedLabel::setFullText(const QString& text)
{
    if (text == m_fullText)
        return;
    m_fullText = text;
    elide();
    updateGeometry();
}

void ElidedLabel::setDescription(const QString& description)
{
    m_description = description;
    elide();
}

QSize ElidedLabel::minimumSizeHint() const
{
    return QSize(fontMetrics().averageCharWidth() * kMinimumCharacters, QLabel::minimumSizeHint().height());
}

QSize ElidedLabel::sizeHint() const
{
    return QSize(fontMetrics().horizontalAdvance(m_fullText) + 2 * margin(), QLabel::sizeHint().height());
}

void ElidedLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    elide();
}

void ElidedLabel::elide()
{
    const QString shown = fontMetrics().elidedText(m_fullText, Qt::ElideRight, width() - 2 * margin());
    setText(shown);
    QStringList tip;
    if (shown != m_fullText)
        tip << m_fullText;
    if (!m_description.isEmpty())
        tip << m_description;
    setToolTip(tip.join(QStringLiteral("\n\n")));
}

} // namespace epsinas::gui
