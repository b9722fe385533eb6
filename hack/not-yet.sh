#!/usr/bin/env bash
# Targets whose issue has not landed yet say so plainly and fail, rather than pretend to work.
echo "$1: not implemented yet (tracked in issue #$2)" >&2
exit 1
