#!/bin/sh
exec preflight run --strict --deploy "$@"
