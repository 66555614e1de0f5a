# bench/empty.mk: a make run that does nothing.  Its time (make starting,
# reading one makefile, exiting) is the baseline that bench/run subtracts
# from module.mk's and shell.mk's to get the time each way ADDS.
.PHONY: all
all: ; @:
