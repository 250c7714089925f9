//! asl-lint (under construction)
