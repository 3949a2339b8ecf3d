// SPDX-License-Identifier: MIT
#pragma once

#include <QLabel>

namespace epsinas::gui {

/**
 * A one-line label that never widens its layout: text that does not fit is elided, and the whole text is its
 * tooltip. Status texts change length all the time; a plain QLabel would push its neighbours around or make the
 * window grow.
 */
class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr);

    void setFullText(const QString& text);
    QString fullText() const { return m_fullText; }
    /** What the label shows, for its tooltip (which adds the whole text when it is elided). */
    void setDescription(const QString& description);

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void elide();

    QString m_fullText;
    QString m_description;
};

} // namespace epsinas::gui
