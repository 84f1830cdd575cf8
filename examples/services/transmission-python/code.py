# Scores one car: hp and wt are bound as variables; `probability` is read back as the output.
h = number_input("hp", hp)
w = number_input("wt", wt)
probability = manual_probability(h, w)
with open("answer.csv", "w") as f:
    f.write("hp,wt,probability\n%s,%s,%r\n" % (plain(h), plain(w), probability))
