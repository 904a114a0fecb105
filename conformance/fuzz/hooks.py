"""Strategies for Mosaic's custom scalars, so schemathesis fuzzes every operation: valid and
broken values alike (a Decimal with too many decimals, impossible dates, free text)."""
from hypothesis import strategies as st

import schemathesis
from schemathesis.graphql import nodes

junk = st.text(max_size=12)
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str), junk).map(nodes.String),
)
schemathesis.graphql.scalar(
    "NaiveDate",
    st.one_of(st.dates().map(lambda d: d.isoformat()), junk).map(nodes.String),
)
schemathesis.graphql.scalar(
    "NaiveTime",
    st.one_of(st.times().map(lambda t: t.strftime("%H:%M:%S")), junk).map(nodes.String),
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(st.datetimes().map(lambda d: d.isoformat() + "Z"), junk).map(nodes.String),
)
schemathesis.graphql.scalar("JSON", st.one_of(junk.map(nodes.String), st.integers().map(nodes.Int)))
