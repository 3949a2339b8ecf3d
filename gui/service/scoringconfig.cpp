// SPDX-License-Identifier: MIT
#include "scoringconfig.h"

#include "spaces/spaces.h"

#include <QCoreApplication>

namespace epsinas::gui {

QString spaceKey(Space space)
{
    switch (space) {
    case Space::Nb101:
        return QStringLiteral("nb101");
    case Space::Nlp:
        return QStringLiteral("nlp");
    case Space::Nb201:
        break;
    }
    return QStringLiteral("nb201");
}

std::optional<Space> parseSpace(const QString& key)
{
    for (Space space : kAllSpaces) {
        if (key.compare(spaceKey(space), Qt::CaseInsensitive) == 0)
            return space;
    }
    return std::nullopt;
}

QString spaceName(Space space)
{
    switch (space) {
    case Space::Nb101:
        return QStringLiteral("NAS-Bench-101");
    case Space::Nlp:
        return QStringLiteral("NAS-Bench-NLP");
    case Space::Nb201:
        break;
    }
    return QStringLiteral("NAS-Bench-201");
}

QString unitName(Space space)
{
    return space == Space::Nlp ? QCoreApplication::translate("epsinas", "recipes")
                               : QCoreApplication::translate("epsinas", "cells");
}

const SearchSpace& spaceModule(Space space)
{
    return spaceRegistry().get(spaceKey(space).toStdString());
}

WeightPair defaultWeights(Space space)
{
    return spaceModule(space).defaultWeights();
}

TokenSpec ScoringConfig::tokenSpec() const
{
    TokenSpec spec = tokens;
    spec.batch = input.batch;
    return spec;
}

bool ScoringConfig::sameScoresAs(const ScoringConfig& other) const
{
    const InputSpec& a = input;
    const InputSpec& b = other.input;
    // Each space reads its own input; the other space's input does not change its scores.
    const auto sameImages = [&] {
        return a.kind == b.kind && a.seed == b.seed && a.path == b.path && a.offset == b.offset && a.batch == b.batch
            && a.imageSize == b.imageSize;
    };
    const auto sameTokens = [&] {
        return a.batch == b.batch && tokens.kind == other.tokens.kind && tokens.paths == other.tokens.paths
            && tokens.steps == other.tokens.steps;
    };
    const bool sameInput = space == Space::Nlp ? sameTokens() : sameImages();
    return space == other.space && sameInput && options.weights == other.options.weights
        && options.precision == other.options.precision && options.evaluator == other.options.evaluator;
}

QString ScoringConfig::describe() const
{
    // NB201 lines stay unprefixed, as exported CSV headers have always read; other spaces name themselves.
    const QString prefix = space == Space::Nb201 ? QString() : spaceName(space) + QStringLiteral(", ");
    return prefix
        + QStringLiteral("%1 ×%2, w=%3, %4, %5")
              .arg(QString::fromStdString(space == Space::Nlp ? tokenSpec().toString() : input.toString()))
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
