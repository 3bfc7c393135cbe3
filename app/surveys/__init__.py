"""Satisfaction surveys: after each stage (the application, screening, mentoring, the whole
project) the person gets a one-time link to a 1-5 score and a comment; staff read the results per
call and stage as "% satisfied (4-5)" (DESIGN.md section 2, step 10)."""
