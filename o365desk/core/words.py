"""Plurals in English: "1 connection", "2 connections", "1 of them needs"."""

from __future__ import annotations


def plural(count: int, one: str, other: str, **fields: object) -> str:
    """`one` when count is 1, else `other`; both may use {count} and the other fields."""
    return (one if count == 1 else other).format(count=count, **fields)
