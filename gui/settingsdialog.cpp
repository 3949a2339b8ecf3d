// SPDX-License-Identifier: MIT
#include "settingsdialog.h"

#include "editorsupport.h"
#include "score/runtime.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace epsinas::gui {

SettingsDialog::SettingsDialog(
    const ScoringConfig& config, const QString& deviceChoice, const QString& nanPolicy, QWidget* parent)
    : QDialog(parent)
    , m_config(config)
{
    setWindowTitle(tr("Scoring Settings"));

    m_weightLow = new QLineEdit(weightText(config.options.weights.low), this);
    m_weightHigh = new QLineEdit(weightText(config.options.weights.high), this);
    auto* weights = new QHBoxLayout;
    weights->addWidget(new QLabel(tr("w_lo"), this));
    weights->addWidget(m_weightLow);
    weights->addWidget(new QLabel(tr("w_hi"), this));
    weights->addWidget(m_weightHigh);

    m_batch = new QSpinBox(this);
    m_batch->setRange(2, 4096);
    m_batch->setValue(config.input.batch);

    m_inputKind = new QComboBox(this);
    m_inputKind->addItem(tr("Grey ramp (image i constant at i/B)"), int(InputSpec::Kind::Grey));
    m_inputKind->addItem(tr("Gaussian noise"), int(InputSpec::Kind::Noise));
    m_inputKind->addItem(tr("CIFAR-10 binary file"), int(InputSpec::Kind::Cifar10));
    m_inputKind->addItem(tr("CIFAR-100 binary file"), int(InputSpec::Kind::Cifar100));
    m_inputKind->setCurrentIndex(m_inputKind->findData(int(config.input.kind)));
    m_seed = new QSpinBox(this);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setValue(int(config.input.seed));
    m_path = new QLineEdit(QString::fromStdString(config.input.path), this);
    m_path->setPlaceholderText(tr("e.g. data_batch_1.bin or train.bin"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("CIFAR Binary File"), m_path->text(), tr("CIFAR binary (*.bin);;All files (*)"));
        if (!path.isEmpty())
            m_path->setText(path);
    });
    m_pathRow = new QWidget(this);
    auto* pathLayout = new QHBoxLayout(m_pathRow);
    pathLayout->setContentsMargins(0, 0, 0, 0);
    pathLayout->addWidget(m_path, 1);
    pathLayout->addWidget(browse);
    m_offset = new QSpinBox(this);
    m_offset->setRange(0, 1000000);
    m_offset->setValue(int(config.input.offset));
    m_offset->setToolTip(tr("First record taken from the file"));

    m_tokenKind = new QComboBox(this);
    m_tokenKind->addItem(tr("Synthetic tokens (the golden batch of algorithm §7)"), int(TokenSpec::Kind::Synthetic));
    m_tokenKind->addItem(tr("Penn Treebank text files"), int(TokenSpec::Kind::Ptb));
    m_tokenKind->setCurrentIndex(m_tokenKind->findData(int(config.tokens.kind)));
    QStringList tokenPaths;
    for (const std::string& path : config.tokens.paths)
        tokenPaths << QString::fromStdString(path);
    m_tokenPaths = new QLineEdit(tokenPaths.join(QLatin1Char(',')), this);
    m_tokenPaths->setPlaceholderText(tr("e.g. ptb.valid.txt,ptb.test.txt (tokenised in this order)"));
    auto* browseText = new QPushButton(tr("Browse…"), this);
    connect(browseText, &QPushButton::clicked, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("PTB Text Files"), QString(), tr("Text files (*.txt);;All files (*)"));
        if (!paths.isEmpty())
            m_tokenPaths->setText(paths.join(QLatin1Char(',')));
    });
    m_tokenPathRow = new QWidget(this);
    auto* tokenPathLayout = new QHBoxLayout(m_tokenPathRow);
    tokenPathLayout->setContentsMargins(0, 0, 0, 0);
    tokenPathLayout->addWidget(m_tokenPaths, 1);
    tokenPathLayout->addWidget(browseText);

    m_precision = new QComboBox(this);
    m_precision->addItem(tr("float32 (reference)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("float64 (departure: far fewer NaN, different ranking)"), QStringLiteral("fp64"));
    m_precision->setCurrentIndex(config.options.precision == Precision::Float64 ? 1 : 0);
    m_evaluator = new QComboBox(this);
    m_evaluator->addItem(tr("fast (exact width-collapsed network)"), QStringLiteral("fast"));
    m_evaluator->addItem(tr("reference (full-width network, slow)"), QStringLiteral("reference"));
    m_evaluator->setCurrentIndex(config.options.evaluator == EvaluatorKind::Reference ? 1 : 0);

    m_device = new QComboBox(this);
    m_device->addItem(tr("Automatic (CUDA when available)"), QStringLiteral("auto"));
    m_device->addItem(QString::fromStdString(deviceDescription(false)), QStringLiteral("cpu"));
    if (cudaAvailable())
        m_device->addItem(QString::fromStdString(deviceDescription(true)), QStringLiteral("cuda"));
    m_device->setCurrentIndex(std::max(0, m_device->findData(deviceChoice)));
    m_threads = new QSpinBox(this);
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("all %1 cores").arg(availableCores()));
    m_threads->setValue(config.options.threads);

    m_nanPolicy = new QComboBox(this);
    m_nanPolicy->addItem(tr("exclude NaN scores (the paper's statistics)"), QStringLiteral("exclude"));
    m_nanPolicy->addItem(tr("rank NaN worst (the reference search code)"), QStringLiteral("worst"));
    m_nanPolicy->addItem(tr("rank NaN best"), QStringLiteral("best"));
    m_nanPolicy->setCurrentIndex(std::max(0, m_nanPolicy->findData(nanPolicy)));

    m_departures = new QLabel(this);
    m_departures->setWordWrap(true);
    setTextColour(m_departures, warningColour());
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    setTextColour(m_error, errorColour());
    m_error->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Constant weights:"), weights);
    form->addRow(tr("Batch size:"), m_batch);
    form->addRow(tr("Input:"), m_inputKind);
    form->addRow(tr("Noise seed:"), m_seed);
    form->addRow(tr("File:"), m_pathRow);
    form->addRow(tr("First record:"), m_offset);
    form->addRow(tr("Tokens:"), m_tokenKind);
    form->addRow(tr("Text files:"), m_tokenPathRow);
    form->addRow(tr("Precision:"), m_precision);
    form->addRow(tr("Evaluator:"), m_evaluator);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("CPU threads:"), m_threads);
    form->addRow(tr("NaN policy:"), m_nanPolicy);

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        const ScoringConfig defaults;
        // The weights are those of the space being edited (algorithm §2).
        const WeightPair weights = m_config.space->defaultWeights();
        m_weightLow->setText(weightText(weights.low));
        m_weightHigh->setText(weightText(weights.high));
        m_batch->setValue(defaults.input.batch);
        m_inputKind->setCurrentIndex(0);
        m_tokenKind->setCurrentIndex(0);
        m_precision->setCurrentIndex(0);
        m_evaluator->setCurrentIndex(0);
        m_device->setCurrentIndex(0);
        m_threads->setValue(0);
        m_nanPolicy->setCurrentIndex(0);
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_departures);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_inputKind, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateInputFields);
    connect(m_tokenKind, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateInputFields);
    for (QLineEdit* edit : { m_weightLow, m_weightHigh })
        connect(edit, &QLineEdit::textChanged, this, &SettingsDialog::updateDepartures);
    connect(m_batch, &QSpinBox::valueChanged, this, &SettingsDialog::updateDepartures);
    connect(m_precision, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateDepartures);
    updateInputFields();
}

void SettingsDialog::updateInputFields()
{
    // Each space shows the input it reads: images or tokens.
    const bool images = m_config.space->inputKind() == InputKind::Images;
    const auto kind = InputSpec::Kind(m_inputKind->currentData().toInt());
    const bool file = kind == InputSpec::Kind::Cifar10 || kind == InputSpec::Kind::Cifar100;
    auto* form = static_cast<QFormLayout*>(static_cast<QVBoxLayout*>(layout())->itemAt(0)->layout());
    form->setRowVisible(m_inputKind, images);
    form->setRowVisible(m_seed, images && kind == InputSpec::Kind::Noise);
    form->setRowVisible(m_pathRow, images && file);
    form->setRowVisible(m_offset, images && file);
    form->setRowVisible(m_tokenKind, !images);
    form->setRowVisible(
        m_tokenPathRow, !images && TokenSpec::Kind(m_tokenKind->currentData().toInt()) == TokenSpec::Kind::Ptb);
    updateDepartures();
}

void SettingsDialog::updateDepartures()
{
    QStringList departures;
    // Compared as numbers: "1e-7" and "1e-07" are the same weight.
    const WeightPair reference = m_config.space->defaultWeights();
    bool lowOk = false, highOk = false;
    const double low = m_weightLow->text().trimmed().toDouble(&lowOk);
    const double high = m_weightHigh->text().trimmed().toDouble(&highOk);
    if (!lowOk || !highOk || low != reference.low || high != reference.high)
        departures << tr("weights other than (%1, %2)").arg(weightText(reference.low), weightText(reference.high));
    if (m_batch->value() != 256)
        departures << tr("batch %1 instead of 256").arg(m_batch->value());
    if (m_precision->currentIndex() != 0)
        departures << tr("float64 instead of float32");
    m_departures->setText(departures.isEmpty()
            ? QString()
            : tr("Departs from the reference behaviour: %1. Scores will not match the paper's.")
                  .arg(departures.join(QStringLiteral(", "))));
    m_departures->setVisible(!departures.isEmpty());
}

QString SettingsDialog::deviceChoice() const
{
    return m_device->currentData().toString();
}

QString SettingsDialog::nanPolicy() const
{
    return m_nanPolicy->currentData().toString();
}

void SettingsDialog::accept()
{
    ScoringConfig config = m_config;
    try {
        config.options.weights = parseWeightPair(
            QStringLiteral("%1,%2").arg(m_weightLow->text().trimmed(), m_weightHigh->text().trimmed()).toStdString());
        config.input = InputSpec {};
        config.input.kind = InputSpec::Kind(m_inputKind->currentData().toInt());
        config.input.seed = std::uint64_t(m_seed->value());
        const bool file
            = config.input.kind == InputSpec::Kind::Cifar10 || config.input.kind == InputSpec::Kind::Cifar100;
        if (file) {
            if (m_path->text().trimmed().isEmpty())
                throw std::invalid_argument(tr("choose the CIFAR binary file").toStdString());
            config.input.path = m_path->text().trimmed().toStdString();
            config.input.offset = m_offset->value();
        }
        config.input.batch = m_batch->value();
        if (config.space->inputKind() == InputKind::Tokens) {
            config.tokens = TokenSpec {};
            config.tokens.kind = TokenSpec::Kind(m_tokenKind->currentData().toInt());
            if (config.tokens.kind == TokenSpec::Kind::Ptb) {
                for (const QString& path : m_tokenPaths->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
                    config.tokens.paths.push_back(path.trimmed().toStdString());
                if (config.tokens.paths.empty())
                    throw std::invalid_argument(tr("choose one or more PTB text files").toStdString());
            }
        }
        config.options.precision = parsePrecision(m_precision->currentData().toString().toStdString());
        config.options.evaluator = parseEvaluatorKind(m_evaluator->currentData().toString().toStdString());
        const QString device = deviceChoice();
        config.options.device
            = (device == QLatin1String("cuda") || (device == QLatin1String("auto") && cudaAvailable())) ? Device::Cuda
                                                                                                        : Device::Cpu;
        config.options.threads = m_threads->value();
        // Read the input now, so a missing or damaged file is reported here, once, and not by every later score.
        config.loadInput();
    } catch (const std::exception& error) {
        m_error->setText(QString::fromStdString(error.what()));
        m_error->show();
        return;
    }
    m_config = config;
    QDialog::accept();
}

} // namespace epsinas::gui
