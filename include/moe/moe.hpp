#pragma once
/// @file moe.hpp
/// Everything in the moe library.

#include "moe/csv.hpp"
#include "moe/data.hpp"
#include "moe/diagnostics.hpp"
#include "moe/em.hpp"
#include "moe/estimator.hpp"
#include "moe/error.hpp"
#include "moe/expert_mstep.hpp"
#include "moe/experts.hpp"
#include "moe/family.hpp"
#include "moe/gate.hpp"
#include "moe/gate_mstep.hpp"
#include "moe/gradient.hpp"
#include "moe/inference.hpp"
#include "moe/init.hpp"
#include "moe/kernels.hpp"
#include "moe/matching.hpp"
#include "moe/mirror.hpp"
#include "moe/model.hpp"
#include "moe/rng.hpp"
#include "moe/trace.hpp"
