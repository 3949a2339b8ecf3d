// SPDX-License-Identifier: MIT
#include "score/options.h"

#include "io/inputfile.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace epsinas {

std::string toString(Precision precision)
{
    return precision == Precision::Float32 ? "fp32" : "fp64";
}
std::string toString(Device device)
{
    return device == Device::Cpu ? "cpu" : "cuda";
}
std::string toString(EvaluatorKind kind)
{
    return kind == EvaluatorKind::Fast ? "fast" : "reference";
}

Precision parsePrecision(const std::string& text)
{
    if (text == "fp32" || text == "float32")
        return Precision::Float32;
    if (text == "fp64" || text == "float64")
        return Precision::Float64;
    throw std::invalid_argument("unknown precision '" + excerpt(text) + "' (expected fp32 or fp64)");
}

Device parseDevice(const std::string& text)
{
    if (text == "cpu")
        return Device::Cpu;
    if (text == "cuda")
        return Device::Cuda;
    throw std::invalid_argument("unknown device '" + excerpt(text) + "' (expected cpu or cuda)");
}

EvaluatorKind parseEvaluatorKind(const std::string& text)
{
    if (text == "fast")
        return EvaluatorKind::Fast;
    if (text == "reference")
        return EvaluatorKind::Reference;
    throw std::invalid_argument("unknown evaluator '" + excerpt(text) + "' (expected fast or reference)");
}

namespace {
double parseWeight(const std::string& text, const std::string& whole)
{
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
        throw std::invalid_argument(
            "invalid weight '" + excerpt(text) + "' in '" + excerpt(whole) + "' (expected e.g. 1e-7,1)");
    return value;
}
} // namespace

WeightPair parseWeightPair(const std::string& text)
{
    const auto comma = text.find(',');
    if (comma == std::string::npos)
        throw std::invalid_argument(
            "weights '" + excerpt(text) + "' must be two numbers separated by a comma, e.g. 1e-7,1");
    WeightPair pair { parseWeight(text.substr(0, comma), text), parseWeight(text.substr(comma + 1), text) };
    if (!(pair.low < pair.high))
        throw std::invalid_argument(
            "weights '" + excerpt(text) + "': the first (w_lo) must be smaller than the second (w_hi)");
    return pair;
}

std::string shortestText(double value)
{
    // The shortest %g spelling that reads back as the same double: "1e-07", not "9.9999999999999995e-08".
    char text[32];
    for (int digits = 6; digits <= 17; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, value);
        if (std::strtod(text, nullptr) == value)
            break;
    }
    return text;
}

std::string toString(const WeightPair& weights)
{
    return shortestText(weights.low) + "," + shortestText(weights.high);
}

} // namespace epsinas
