"""The words by which Chinese text says what the readers look for, one module per meaning: `tense` (whether a text
speaks of the past or commits ahead), `progress` (whether a thing was done, not done, or is under way), `measures`
(units, measure words and the figures written with them, headline indicators), `qualifiers` (words that make
another thing of the same head: 调查/登记) and `pointing` (words that point at something named elsewhere). Each list says what it captures; a reader imports the list, never defines its own copy."""
