# bench/module.mk: the dockspace way.  Loads the module and expands
# $(docker-space G), $(docker-tier) and $(docker-usage) once each, in
# := assignments (as a Makefile deciding what to build would).
#
#   make -f bench/module.mk DOCKSPACE_MODULE=/abs/dockspace.so \
#        [PARTS=space+tier+usage] [BENCH_SHOW=1]
#
# DOCKER_HOST (environment) names the engine.  PARTS picks what is
# expanded, joined with '+': "none" only loads the module; bench/run
# times none, space, space+tier and space+tier+usage to split the cost.
# BENCH_SHOW=1 prints the results (bench/run's check; not when timing).

DOCKSPACE_MODULE ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../.libs/dockspace.so)
PARTS ?= space+tier+usage
parts := $(subst +, ,$(PARTS))

load $(DOCKSPACE_MODULE)

ifneq ($(filter space,$(parts)),)
SPACE := $(docker-space G)
endif
ifneq ($(filter tier,$(parts)),)
TIER := $(docker-tier)
endif
ifneq ($(filter usage,$(parts)),)
USAGE := $(docker-usage)
endif

ifdef BENCH_SHOW
$(info space: $(SPACE) G)
$(info tier:  $(TIER))
$(info usage:)
$(info $(USAGE))
endif

.PHONY: all
all: ; @:
