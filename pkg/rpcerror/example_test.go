package rpcerror_test

import (
	"errors"
	"fmt"

	"github.com/ncws/ncws/pkg/rpcerror"
)

func ExampleFrom() {
	// An rpc-error passes through; any other error becomes a generic operation-failed.
	fmt.Println(rpcerror.From(rpcerror.LockDenied(4)))
	fmt.Println(rpcerror.From(errors.New("open /etc/secret: permission denied")))
	// Output:
	// lock held by session 4 [lock-denied]
	// internal error [operation-failed]
}
