// SPDX-License-Identifier: MIT
#include "scoringconfig.h"

#include "spaces/spaces.h"

namespace epsinas::gui {

const SearchSpace& defaultSpace()
{
    return *spaceRegistry().all().front();
}

const SearchSpace* findSpace(const QString& key)
{
    return spaceRegistry().find(key.toLower().toStdString());
}

QString unitName(const SearchSpace& space)
{
    return QString::fromStdString(space.unitName(true));
}

QString weightText(double weight)
{
    return QString::fromStdString(shortestText(weight));
}

TokenSpec ScoringConfig::tokenSpec() const
{
    TokenSpec spec = tokens;
    spec.batch = input.batch;
    return spec;
}

ScoringInput ScoringConfig::loadInput() const
{
    if (space->inputKind() == InputKind::Tokens)
        return ScoringInput::of(TokenBatch::load(tokenSpec()));
    return ScoringInput::of(InputBatch::load(input));
}

bool ScoringConfig::sameScoresAs(const ScoringConfig& other) const
{
    const InputSpec& a = input;
    const InputSpec& b = other.input;
    // Each space reads its own kind of input; the other kind does not change its scores.
    const auto sameImages = [&] {
        return a.kind == b.kind && a.seed == b.seed && a.path == b.path && a.offset == b.offset && a.batch == b.batch
            && a.imageSize == b.imageSize;
    };
    const auto sameTokens = [&] {
        return a.batch == b.batch && tokens.kind == other.tokens.kind && tokens.paths == other.tokens.paths
            && tokens.steps == other.tokens.steps;
    };
    const bool sameInput = space->inputKind() == InputKind::Tokens ? sameTokens() : sameImages();
    return space == other.space && sameInput && options.weights == other.options.weights
        && options.precision == other.options.precision && options.evaluator == other.options.evaluator;
}

QString ScoringConfig::describe() const
{
    // Lines of the default space stay unprefixed, as exported CSV headers have always read; other spaces name
    // themselves.
    const QString prefix = space == &defaultSpace() ? QString() : QString::fromStdString(space->name()) + ", ";
    const bool tokensRead = space->inputKind() == InputKind::Tokens;
    return prefix
        + QStringLiteral("%1 ×%2, w=%3, %4, %5")
              .arg(QString::fromStdString(tokensRead ? tokenSpec().toString() : input.toString()))
              .arg(input.batch)
              .arg(QString::fromStdString(toString(options.weights)),
                  QString::fromStdString(toString(options.precision)),
                  QString::fromStdString(toString(options.evaluator)));
}

bool operator==(const ScoringConfig& a, const ScoringConfig& b)
{
    return a.sameScoresAs(b) && a.options.device == b.options.device && a.options.threads == b.options.threads
        && a.options.chunkSize == b.options.chunkSize && a.storePath == b.storePath;
}

} // namespace epsinas::gui
