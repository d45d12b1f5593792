module example.com/golden/orderedby

go 1.26.8

require github.com/ncws/ncws v0.0.0

replace github.com/ncws/ncws => ../../../..
