"""Final reports of grantees: the work done, the people reached by gender and age bucket, photos,
the target-group list, media links and a success story; reviewed by staff, who accept it or return
it with comments; an accepted report completes the grant once its payments are closed (DESIGN.md
section 2, step 9)."""
