// SPDX-License-Identifier: MIT
#pragma once

#include "scoringconfig.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace epsinas::gui {

/** Edits the scoring settings; departures from the reference behaviour (algorithm §1.6) are labelled as such. */
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(
        const ScoringConfig& config, const QString& deviceChoice, const QString& nanPolicy, QWidget* parent = nullptr);

    /** The edited config (valid once accept() succeeded); the store path is taken over unchanged. */
    ScoringConfig config() const { return m_config; }
    QString deviceChoice() const;
    QString nanPolicy() const;

    void accept() override;

private:
    void updateInputFields();
    void updateDepartures();

    ScoringConfig m_config;
    QLineEdit* m_weightLow = nullptr;
    QLineEdit* m_weightHigh = nullptr;
    QSpinBox* m_batch = nullptr;
    QComboBox* m_inputKind = nullptr;
    QSpinBox* m_seed = nullptr;
    QLineEdit* m_path = nullptr;
    QWidget* m_pathRow = nullptr;
    QSpinBox* m_offset = nullptr;
    /** Spaces whose networks read tokens instead of images: synthetic or PTB text files. */
    QComboBox* m_tokenKind = nullptr;
    QLineEdit* m_tokenPaths = nullptr;
    QWidget* m_tokenPathRow = nullptr;
    QComboBox* m_precision = nullptr;
    QComboBox* m_evaluator = nullptr;
    QComboBox* m_device = nullptr;
    QSpinBox* m_threads = nullptr;
    QComboBox* m_nanPolicy = nullptr;
    QLabel* m_departures = nullptr;
    QLabel* m_error = nullptr;
};

} // namespace epsinas::gui
