"""The case lifecycle, pure: events, the Case aggregate, guards, deadlines and the state machine.

No I/O, no clock, no randomness: time, ids, rules and the calendar come in as arguments, so
folding a case's events always rebuilds the same state.
"""
